extension BranchTree {
    /// The fixed parameters of a relay tree.
    ///
    ///     let configuration = try BranchTree.Configuration(fanout: 3, policy: .skyway)
    ///
    /// The fan-out is the most children any viewer relays to; a viewer's own capacity
    /// (given when it joins) may only be lower. The broadcaster relays to
    /// `broadcasterFanout` first viewers — 1 in the seed, so that the broadcaster uploads
    /// a single stream whatever the audience.
    public struct Configuration: Sendable, Hashable, Codable {
        /// The fan-outs a tree accepts, for viewers and for the broadcaster.
        public static let fanoutRange: ClosedRange<Int> = 1...64

        /// The most children a viewer relays to; the default capacity of a relayable viewer.
        public let fanout: Int
        /// How many first viewers the broadcaster feeds directly.
        public let broadcasterFanout: Int
        /// How the tree places joiners and repairs departures.
        public let policy: Policy

        /// Makes a configuration, checking its values.
        ///
        /// - Throws: ``BranchTreeError/invalidFanout(_:)`` or
        ///   ``BranchTreeError/invalidBroadcasterFanout(_:)`` when a value is outside
        ///   ``fanoutRange``.
        public init(fanout: Int, broadcasterFanout: Int = 1, policy: Policy = .skyway)
            throws(BranchTreeError)
        {
            guard Self.fanoutRange.contains(fanout) else { throw .invalidFanout(fanout) }
            guard Self.fanoutRange.contains(broadcasterFanout) else {
                throw .invalidBroadcasterFanout(broadcasterFanout)
            }
            self.fanout = fanout
            self.broadcasterFanout = broadcasterFanout
            self.policy = policy
        }

        /// The capacity a viewer gets: `fanout` when relayable, 0 otherwise, unless
        /// `override` says less.
        func capacity(relayable: Bool, override: Int?) throws(BranchTreeError) -> Int {
            guard let override else { return relayable ? fanout : 0 }
            guard (0...fanout).contains(override), relayable || override == 0 else {
                throw .invalidCapacity(override, fanout: fanout)
            }
            return override
        }

        private enum CodingKeys: String, CodingKey {
            case fanout, broadcasterFanout, policy
        }

        /// Reads a configuration from JSON: `fanout` is required, `broadcasterFanout`
        /// (default 1) and `policy` (default `skyway`) are optional; out-of-range fan-outs
        /// are refused.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let fanout = try container.decode(Int.self, forKey: .fanout)
            let broadcasterFanout =
                try container.decodeIfPresent(Int.self, forKey: .broadcasterFanout) ?? 1
            let policy = try container.decodeIfPresent(Policy.self, forKey: .policy) ?? .skyway
            do {
                try self.init(fanout: fanout, broadcasterFanout: broadcasterFanout, policy: policy)
            } catch {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: error.description))
            }
        }
    }
}
