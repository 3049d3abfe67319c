#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large, randomly accessed buffers with transparent huge pages.
///
/// At a million viewers the simulator's viewer records span hundreds of megabytes and are
/// read at random, so nearly every access also misses the TLB.
/// With 2 MiB pages one TLB entry covers 512 times as much memory. Linux hands huge
/// pages to such buffers only when asked (`/sys/kernel/mm/transparent_hugepage/enabled`
/// is `madvise` on most distributions), so a buffer is advised before it is first
/// written. Elsewhere, and on kernels that refuse, this does nothing: it is a hint, never
/// a change in behaviour.
package enum HugePageAdvice {
    /// The size of a transparent huge page on x86-64 and arm64 Linux.
    package static var pageSize: Int { 2 << 20 }

    /// Buffers smaller than this are left alone: they would gain a page or two at most.
    package static var minimumByteCount: Int { 8 << 20 }

    /// Advises the whole huge pages inside `byteCount` bytes from `start`.
    ///
    /// - Complexity: O(1): one system call, and none for a small buffer.
    package static func advise(_ start: UnsafeMutableRawPointer, byteCount: Int) {
        guard byteCount >= minimumByteCount else { return }
        #if os(Linux)
        let mask = UInt(pageSize - 1)
        let first = (UInt(bitPattern: start) + mask) & ~mask
        let end = (UInt(bitPattern: start) + UInt(byteCount)) & ~mask
        guard end > first, let aligned = UnsafeMutableRawPointer(bitPattern: first) else { return }
        // A refusal (an old kernel, THP off) changes nothing: the result is a hint's.
        _ = madvise(aligned, Int(end - first), MADV_HUGEPAGE)
        #endif
    }
}

extension Array {
    /// Reserves room for `minimumCapacity` elements and advises the new storage for huge
    /// pages before anything is written to the part not yet in use.
    ///
    /// Call it before a large array grows: storage that has already been written keeps
    /// its small pages until the kernel gets round to merging them.
    ///
    /// - Complexity: O(`count`) when the storage grows, else O(1).
    package mutating func reserveCapacityAdvisingHugePages(_ minimumCapacity: Int) {
        reserveCapacity(minimumCapacity)
        let byteCount = capacity * MemoryLayout<Element>.stride
        withUnsafeMutableBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            HugePageAdvice.advise(UnsafeMutableRawPointer(base), byteCount: byteCount)
        }
    }

    /// Appends `element`; when the storage is full and its double would be large, grows
    /// it into new storage advised for huge pages before the elements are copied in.
    ///
    /// For large arrays built up one append at a time (a tree's per-slot arrays): a plain
    /// append copies them into storage that is then too late to advise.
    ///
    /// - Complexity: O(1) amortized.
    @inline(__always)
    package mutating func appendAdvisingHugePages(_ element: Element) {
        if count == capacity, count * 2 * MemoryLayout<Element>.stride >= HugePageAdvice.minimumByteCount {
            growAdvisingHugePages()
        }
        append(element)
    }

    /// Moves the elements into new storage of twice the room, advised before they are
    /// written there.
    @inline(never)
    private mutating func growAdvisingHugePages() {
        let newCapacity = count * 2
        self = [Element](unsafeUninitializedCapacity: newCapacity) { buffer, initializedCount in
            HugePageAdvice.advise(
                UnsafeMutableRawPointer(buffer.baseAddress!), byteCount: newCapacity * MemoryLayout<Element>.stride)
            initializedCount = buffer.initialize(fromContentsOf: self)
        }
    }
}
