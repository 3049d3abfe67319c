extension Array {
    /// Hands each element to `body`, in order, moved out of the array instead of copied,
    /// and leaves the array empty with its capacity.
    ///
    /// For the reused action buffers: iterating copies each action (retaining its strings
    /// and arrays) and emptying the buffer then releases the originals; reversing it to
    /// pop from the end costs as much. `placeholder` must hold no reference: it fills
    /// each emptied place until the array is cleared, and each is handed to `drop` as it
    /// is removed. A `drop` that matches the placeholder's case spares the general
    /// destroy of an enum (an outlined call that tests every case) on each removal.
    ///
    /// - Complexity: O(`count`) plus the work of `body`.
    @inline(__always)
    mutating func moveOutEach(
        placeholder: Element, dropping drop: (consuming Element) -> Void = { _ in },
        _ body: (consuming Element) -> Void
    ) {
        withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices {
                let element = buffer.moveElement(from: index)
                buffer.initializeElement(at: index, to: placeholder)
                body(element)
            }
        }
        // Dropped one by one from the end, specialised and inlined: a buffer holds a few
        // actions, and the generic `removeAll(keepingCapacity:)` destroys them through
        // `replaceSubrange` and the runtime's `arrayDestroy`, which costs more.
        while !isEmpty { drop(removeLast()) }
    }

    /// The element at `index`, moved out of the array instead of copied, with
    /// `placeholder` left in its place.
    ///
    /// For the reused action buffers, carried out in order: iterating copies each action
    /// (retaining its strings and arrays) and emptying the buffer then releases the
    /// originals. `placeholder` must hold no reference, so that dropping it costs nothing
    /// the caller cannot see: the caller empties the buffer with `removeLast`, matching
    /// the placeholder's case (the general destroy of an enum is an outlined call that
    /// tests every case).
    ///
    /// - Precondition: `index` is a valid index (unchecked).
    /// - Complexity: O(1)
    @inline(__always)
    mutating func moveOut(at index: Int, leaving placeholder: Element) -> Element {
        withUnsafeMutableBufferPointer { buffer in
            let element = buffer.moveElement(from: index)
            buffer.initializeElement(at: index, to: placeholder)
            return element
        }
    }
}
