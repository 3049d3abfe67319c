import BranchTree
import Testing

@testable import RelayServer

@Suite("ServerMessage")
struct ServerMessageTests {
    @Test("Frames are compact JSON with sorted keys, epochs as decimal strings")
    func encoding() {
        #expect(
            ServerMessage.open(peer: "v-1", epoch: 1_796_000_000_123_456_789).json.text
                == #"{"epoch":"1796000000123456789","peer":"v-1","type":"open"}"#)
        #expect(
            ServerMessage.placed(parent: "broadcaster", epoch: 3, depth: 1, kept: false).json.text
                == #"{"depth":1,"epoch":"3","kept":false,"parent":"broadcaster","type":"placed"}"#)
        #expect(
            ServerMessage.replaceTrack(children: ["a", "b"]).json.text
                == #"{"children":["a","b"],"type":"replace-track"}"#)
        #expect(
            ServerMessage.phase(.awaitingRepair, live: true).json.text
                == #"{"live":true,"phase":"awaitingRepair","type":"phase"}"#)
        #expect(
            ServerMessage.error(ProtocolError(.notLinked, "no")).json.text
                == #"{"code":"not-linked","message":"no","type":"error"}"#)
    }

    @Test("SDP text survives the round trip through a page's frame and back")
    func signalRoundTrip() throws {
        let sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=\"quoted\" \\ </script>\u{1}\r\n"
        let out = ServerMessage.signal(from: "p", epoch: 9, payload: .description(type: "offer", sdp: sdp)).json.text
        #expect(!out.contains("</script>"))
        let back = try PageMessage(frame: Array(out.replacingOccurrences(of: #""from":"p""#, with: #""to":"p""#).utf8))
        #expect(back == .signal(.init(to: "p", epoch: 9, payload: .description(type: "offer", sdp: sdp))))
    }
}
