import XCTest
@testable import FirstlineNLU

/// Checks of the text pipeline that every feature rests on.
final class TextPipelineTests: XCTestCase {
    func testTurkishFoldingAndStripping() {
        let text = AnalysedText("İŞLEM Şifre", locale: "tr")
        XCTAssertEqual(text.folded, "işlem şifre")
        XCTAssertEqual(text.stripped, "islem sifre")
        XCTAssertEqual(text.strippedTokens.map(\.text), ["islem", "sifre"])
    }

    func testNumbersBecomeShapes() {
        let tokens = Tokenizer.tokenize("bet id 88123412 at 14:30 for 500tl")
        XCTAssertEqual(tokens.map(\.featureForm), ["bet", "id", "<id>", "at", "<time>", "for", "<amount>", "tl"])
    }
}
