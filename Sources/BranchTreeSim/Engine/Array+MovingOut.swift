extension Array {
    /// Hands each element to `body`, in order, moved out of the array instead of copied,
    /// and leaves the array empty with its capacity.
    ///
    /// For the reused action buffers: iterating copies each action (retaining its strings
    /// and arrays) and emptying the buffer then releases the originals; reversing it to
    /// pop from the end costs as much. `placeholder` must hold no reference: it fills
    /// each emptied place until the array is cleared, so clearing releases nothing.
    ///
    /// - Complexity: O(`count`) plus the work of `body`.
    @inline(__always)
    mutating func moveOutEach(placeholder: Element, _ body: (consuming Element) -> Void) {
        withUnsafeMutableBufferPointer { buffer in
            for index in buffer.indices {
                let element = buffer.moveElement(from: index)
                buffer.initializeElement(at: index, to: placeholder)
                body(element)
            }
        }
        // A buffer holds a few actions: dropped one by one from the end, specialised and
        // inlined, they cost less than the generic `removeAll(keepingCapacity:)`, which
        // destroys them through `replaceSubrange` and the runtime's `arrayDestroy`.
        guard count <= 16 else { return removeAll(keepingCapacity: true) }
        while !isEmpty { removeLast() }
    }
}
