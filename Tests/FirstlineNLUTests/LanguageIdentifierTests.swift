import Testing
@testable import FirstlineNLU

@Suite("Language identification among the bundle's locales")
struct LanguageIdentifierTests {
    static let identifier = LanguageIdentifier(texts: [
        "tr": ["para çekme talebim bekliyor", "şifremi unuttum", "bonus çevrim şartı nedir", "hesabım kapandı neden",
               "merhaba nasılsınız", "teşekkür ederim", "yatırım yaptım gelmedi", "canlı destek lütfen", "evet oldu", "hayır olmadı"],
        "az": ["pul çıxarmaq istəyirəm", "şifrəni unutmuşam", "bonus necə alınır", "hesabım bloklanıb niyə",
               "salam necəsiniz", "çox sağ olun", "depozit gəlmədi", "operatorla danışmaq istəyirəm", "bəli oldu", "xeyr olmadı", "qeydiyyatdan keçə bilmirəm"],
        "lt": ["noriu išsiimti pinigus", "pamiršau slaptažodį", "kaip gauti bonusą", "paskyra užblokuota kodėl",
               "labas", "ačiū labai", "įnešiau pinigus bet nėra", "noriu kalbėti su žmogumi", "taip padėjo", "ne nepadėjo"],
        "pl": ["chcę wypłacić pieniądze", "zapomniałem hasła", "jak dostać bonus", "konto zablokowane dlaczego",
               "dzień dobry", "dziękuję bardzo", "wpłata nie doszła", "chcę rozmawiać z konsultantem", "tak pomogło", "nie nie pomogło"],
        "en": ["i want to withdraw my money", "forgot my password", "how do i get the bonus", "why is my account blocked",
               "hello there", "thanks a lot", "my deposit did not arrive", "i want to talk to a person", "yes that helped", "no it did not help"],
        "ru": ["хочу вывести деньги", "забыл пароль", "как получить бонус", "аккаунт заблокирован почему",
               "здравствуйте", "спасибо большое", "депозит не пришел", "хочу поговорить с оператором", "да помогло", "нет не помогло"],
    ])

    func identify(_ text: String, previous: String? = nil) -> String {
        Self.identifier.identify(AnalysedText(text), previous: previous, fallback: "en").locale
    }

    @Test("full sentences", arguments: [
        ("para çekme işlemim ne zaman onaylanır", "tr"), ("pul çıxarışım nə vaxt gələcək", "az"),
        ("kada bus išmokėti pinigai", "lt"), ("kiedy dostanę wypłatę", "pl"), ("when will my withdrawal arrive", "en"),
        ("когда придет вывод", "ru"),
    ])
    func sentences(text: String, locale: String) {
        #expect(identify(text) == locale)
    }

    @Test("two-word messages without diacritics", arguments: [
        ("sifremi unuttum", "tr"), ("pul cixarmaq", "az"), ("pamirsau slaptazodi", "lt"), ("zapomnialem hasla", "pl"),
        ("forgot password", "en"),
    ])
    func shortPlain(text: String, locale: String) {
        #expect(identify(text) == locale)
    }

    @Test("the conversation's language decides what the text alone cannot")
    func prior() {
        #expect(identify("bonus", previous: "pl") == "pl")
        #expect(identify("bonus", previous: "az") == "az")
        #expect(identify("ok", previous: "lt") == "lt")
    }

    @Test("clear evidence overrides the prior: the user switched language")
    func switchOverridesPrior() {
        #expect(identify("хочу вывести деньги с аккаунта", previous: "en") == "ru")
        #expect(identify("i forgot my password and cannot log in", previous: "tr") == "en")
    }

    @Test("no letters: the previous language, else the fallback")
    func noLetters() {
        #expect(identify("👍", previous: "az") == "az")
        #expect(identify("123") == "en")
    }
}
