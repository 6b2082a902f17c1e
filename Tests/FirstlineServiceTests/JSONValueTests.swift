import Foundation
import Testing
@testable import FirstlineService

@Suite("JSON responses")
struct JSONValueTests {
    @Test("encodes what JSONSerialization reads back, keeping key order")
    func roundTrip() throws {
        let value: JSONValue = ["b": 1, "a": [true, .null, .double(2.5), "x"], "text": "Şifre \"çekim\" \\ \n\t yes"]
        let text = value.text
        #expect(text.hasPrefix(#"{"b":1,"a":"#))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parsed["text"] as? String == "Şifre \"çekim\" \\ \n\t yes")
        #expect((parsed["a"] as? [Any])?.count == 4)
    }

    @Test("control characters and HTML-significant characters are escaped")
    func escaping() {
        let text = JSONValue.string("<script>&\u{0}\u{1f}\u{2028}").text
        #expect(text == #""\u003cscript\u003e\u0026\u0000\u001f\u2028""#)
    }

    @Test("numbers: whole doubles print as integers, fractions rounded to 4 places, NaN as null")
    func numbers() {
        #expect(JSONValue.double(2).text == "2")
        #expect(JSONValue.double(0.123456).text == "0.1235")
        #expect(JSONValue.double(.nan).text == "null")
        #expect(JSONValue.int(-7).text == "-7")
    }
}
