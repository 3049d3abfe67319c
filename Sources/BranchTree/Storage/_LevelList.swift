/// One level of a tree: the ends of its intrusive list of slots (linked through each
/// node's `previousInLevel` and `nextInLevel`), its size, and the next order number to
/// hand out along it.
///
/// The four fields sit together so that a change to a level reads and writes one array
/// element: kept in four arrays, every join and leave checked four arrays for unique
/// ownership before writing each.
struct _LevelList {
    var head: Int32 = _Node.none
    var tail: Int32 = _Node.none
    var count: Int32 = 0
    var nextSequence: UInt32 = 0
}
