import BranchTree
import Testing

@testable import RelayServer

@Suite("PageMessage")
struct PageMessageTests {
    static func decode(_ text: String) throws(ProtocolError) -> PageMessage {
        try PageMessage(frame: Array(text.utf8))
    }

    static func refusal(_ text: String) -> ProtocolError? {
        do {
            _ = try decode(text)
            return nil
        } catch {
            return error
        }
    }

    @Test("Every frame type decodes")
    func decodesEveryType() throws {
        #expect(
            try Self.decode(#"{"type":"hello","room":"r-1","role":"viewer","relayable":false,"capacity":1}"#)
                == .hello(.init(room: RoomName("r-1")!, role: .viewer, relayable: false, capacity: 1)))
        #expect(
            try Self.decode(
                #"{"type":"hello","room":"r","role":"broadcaster","resume":{"id":"broadcaster","token":"t"}}"#)
                == .hello(
                    .init(
                        room: RoomName("r")!, role: .broadcaster, relayable: true, capacity: nil,
                        resume: .init(id: "broadcaster", token: "t"))))
        #expect(
            try Self.decode(
                #"{"type":"link","peer":"v-1","epoch":"18446744073709551615","direction":"down","state":"closed"}"#)
                == .link(.init(peer: "v-1", epoch: .max, direction: .down, state: .closed)))
        #expect(
            try Self.decode(#"{"type":"signal","to":"v-1","epoch":7,"description":{"type":"offer","sdp":"v=0"}}"#)
                == .signal(.init(to: "v-1", epoch: 7, payload: .description(type: "offer", sdp: "v=0"))))
        #expect(
            try Self.decode(
                #"{"type":"signal","to":"v-1","epoch":"7","candidate":{"candidate":"c","sdpMid":"0","sdpMLineIndex":0}}"#
            )
                == .signal(
                    .init(to: "v-1", epoch: 7, payload: .candidate(candidate: "c", sdpMid: "0", sdpMLineIndex: 0))))
        #expect(
            try Self.decode(#"{"type":"status","receiving":true,"framesDecoded":3,"upstream":null}"#)
                == .status(.init(receiving: true, framesDecoded: 3, upstream: nil)))
        #expect(try Self.decode(#"{"type":"leave"}"#) == .leave)
    }

    @Test(
        "Bad frames are refused with a code and a message that names the field",
        arguments: [
            ("not json", ProtocolError.Code.badJSON, "JSON"),
            ("[1,2]", .badJSON, "object"),
            (#"{"type":"dance"}"#, .unknownType, "dance"),
            (#"{"role":"viewer"}"#, .badField, "frame.type"),
            (#"{"type":"hello","room":"a b","role":"viewer"}"#, .badRoom, "room id"),
            (#"{"type":"hello","room":"\#(String(repeating: "x", count: 65))","role":"viewer"}"#, .badRoom, "64"),
            (#"{"type":"hello","room":"r","role":"king"}"#, .badField, "hello.role"),
            (#"{"type":"hello","room":"r","role":"viewer","capacity":-1}"#, .badField, "hello.capacity"),
            (#"{"type":"hello","room":"r","role":"viewer","capacity":1.5}"#, .badField, "hello.capacity"),
            (#"{"type":"hello","room":"r","role":"viewer","relayable":"yes"}"#, .badField, "hello.relayable"),
            (#"{"type":"link","peer":"p","epoch":"x","direction":"up","state":"connected"}"#, .badField, "epoch"),
            (
                #"{"type":"link","peer":"p","epoch":"99999999999999999999","direction":"up","state":"connected"}"#,
                .badField, "epoch"
            ),
            (#"{"type":"link","peer":"","epoch":1,"direction":"up","state":"connected"}"#, .badField, "link.peer"),
            (
                #"{"type":"link","peer":"p","epoch":1,"direction":"sideways","state":"connected"}"#, .badField,
                "link.direction"
            ),
            (#"{"type":"signal","to":"p","epoch":1}"#, .badField, "description or a candidate"),
            (
                #"{"type":"signal","to":"p","epoch":1,"description":{"type":"pranswer","sdp":""}}"#, .badField,
                "description.type"
            ),
            (#"{"type":"status","receiving":true}"#, .badField, "status.framesDecoded"),
        ])
    func refusesBadFrames(text: String, code: ProtocolError.Code, mentions: String) {
        let error = Self.refusal(text)
        #expect(error?.code == code)
        #expect(error?.message.contains(mentions) == true, "\(error?.message ?? "no error")")
    }

    @Test("A frame over 64 KiB is refused as too large before it is parsed")
    func tooLarge() {
        let text = #"{"type":"leave","pad":""# + String(repeating: "x", count: PageMessage.maxFrameBytes) + #""}"#
        #expect(Self.refusal(text)?.code == .tooLarge)
    }

    @Test("Random bytes and mutated frames never crash the decoder", arguments: 0..<4)
    func fuzz(seed: UInt64) {
        var random = Xoshiro256StarStar(seed: seed)
        let samples = [
            #"{"type":"hello","room":"r","role":"viewer","resume":{"id":"v-1","token":"t"}}"#,
            #"{"type":"signal","to":"v-1","epoch":"7","candidate":{"candidate":"c","sdpMid":"0","sdpMLineIndex":0}}"#,
            #"{"type":"link","peer":"v-1","epoch":3,"direction":"down","state":"closed"}"#,
        ]
        for _ in 0..<2_000 {
            var bytes = Array(samples[Int(random.next(below: UInt64(samples.count)))].utf8)
            for _ in 0..<(1 + random.next(below: 4)) where !bytes.isEmpty {
                let index = Int(random.next(below: UInt64(bytes.count)))
                switch random.next(below: 3) {
                case 0: bytes[index] = UInt8(truncatingIfNeeded: random.next())
                case 1: bytes.remove(at: index)
                default: bytes.insert(UInt8(truncatingIfNeeded: random.next()), at: index)
                }
            }
            _ = try? PageMessage(frame: bytes)
        }
    }
}
