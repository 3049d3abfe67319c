extension TreeChange {
    /// Records the link `parent → viewer`, and — when the viewer had a place before the
    /// operation (`origin`) — its move there, at `depth`. Both lists grow together, which
    /// is what keeps ``moves`` in the order of the links they create.
    mutating func recordLink(
        to viewer: ViewerID, under parent: ViewerID, depth: Int, movedFrom origin: (parent: ViewerID, depth: Int)?
    ) {
        linksCreated.append(Link(parent: parent, child: viewer))
        if let origin {
            moves.append(
                Move(
                    viewer: viewer, fromParent: origin.parent, toParent: parent, fromDepth: origin.depth, toDepth: depth
                ))
        }
    }
}
