import Foundation
import Testing
import FirstlineNLU
@testable import FirstlineDialogue

@Suite("Conversations: the bot's side")
struct ConversationTests {
    typealias F = DeskFixture

    @Test("a confident answer asks whether it helped; yes closes the topic")
    func answerThenAffirm() throws {
        var d = DeskDriver()
        #expect(DeskDriver.texts(try d.run(.sessionOpened(session: "s", locale: nil))) == ["greeting"])
        let effects = try d.say("s", "what is the wagering requirement", F.understood("bonus.wagering"))
        #expect(DeskDriver.texts(effects) == ["answer:bonus.wagering", "did_it_help"])
        #expect(d.state("s") == .awaitingConfirmation(intent: "bonus.wagering", hasDenied: false))
        guard case .send(let question) = effects[1] else { Issue.record("no message"); return }
        #expect(question.quickReplies.map(\.value) == [QuickReply.yes, QuickReply.no])
        #expect(DeskDriver.texts(try d.say("s", "yes", F.understood(nil), choice: QuickReply.yes)) == ["answer:affirm"])
        #expect(d.state("s") == .open)
    }

    @Test("no, that didn't help: rephrase once, then technical takes over")
    func denyTwiceHandsOff() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        try d.say("s", "the site keeps crashing", F.understood("technical.problem"))
        #expect(DeskDriver.texts(try d.say("s", "no", F.understood("deny"))) == ["not_helped"])
        #expect(d.state("s") == .awaitingConfirmation(intent: "technical.problem", hasDenied: true))
        let effects = try d.say("s", "still not working", F.understood("deny"))
        let ticket = try #require(DeskDriver.ticket(effects))
        #expect(ticket.department == "technical")
        #expect(ticket.evidence.reason == "not_helped")
        #expect(d.state("s") == .queued(ticket: ticket.id))
    }

    @Test("a complaint collects what happened, when and the id, then goes to complaints")
    func complaintCollects() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "tr"))
        let first = try d.say("s", "şikayet etmek istiyorum", F.understood("complaint", "tr"))
        #expect(DeskDriver.texts(first) == ["answer:complaint", "slot:details"])
        #expect(DeskDriver.texts(try d.say("s", "çekimim iptal edildi", F.understood(nil, "tr"))) == ["slot:when"])
        #expect(DeskDriver.texts(try d.say("s", "dün 14:30", F.understood(nil, "tr", entities: [.init(kind: "time", text: "14:30")]))) == ["slot:reference"])
        let last = try d.say("s", "bahis id 88123412", F.understood(nil, "tr", entities: [.init(kind: "id", text: "88123412")]))
        let ticket = try #require(DeskDriver.ticket(last))
        #expect(ticket.department == "complaints")
        #expect(ticket.evidence.collected == ["details": "çekimim iptal edildi", "when": "dün 14:30", "reference": "bahis id 88123412"])
        #expect(ticket.evidence.entities.contains(.init(kind: "id", text: "88123412")))
        #expect(ticket.evidence.entities.contains(.init(kind: "time", text: "14:30")))
        #expect(ticket.evidence.summary.hasPrefix("tr · complaint"))
    }

    @Test("self-exclusion hands off urgently at once, even in the middle of collecting")
    func selfExclusionUrgent() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        try d.say("s", "i want to complain", F.understood("complaint"))
        let effects = try d.say("s", "i can't stop gambling, please block me", F.understood("responsible.self_exclusion"))
        #expect(DeskDriver.texts(effects).first == "answer:responsible.self_exclusion")
        let ticket = try #require(DeskDriver.ticket(effects))
        #expect(ticket.department == "responsible-gambling")
        #expect(ticket.priority == .urgent)
    }

    @Test("two messages not understood: fallback offering a person, then a handoff")
    func lowConfidenceTwice() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        let first = try d.say("s", "blorp", F.understood(nil, confidence: 0.1))
        #expect(DeskDriver.texts(first) == ["fallback"])
        guard case .send(let fallback) = first[0] else { Issue.record("no message"); return }
        #expect(fallback.quickReplies.map(\.value) == [QuickReply.human])
        let second = try d.say("s", "zzz qqq", F.understood(nil, confidence: 0.1))
        let ticket = try #require(DeskDriver.ticket(second))
        #expect(ticket.department == "general" && ticket.evidence.reason == "not_understood")
    }

    @Test("an understood turn resets the not-understood count")
    func lowConfidenceResets() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        try d.say("s", "blorp", F.understood(nil))
        try d.say("s", "hello", F.understood("greeting"))
        #expect(DeskDriver.ticket(try d.say("s", "blorp again", F.understood(nil))) == nil)
    }

    @Test("ambiguous: the two likeliest are offered, and a pick answers")
    func clarify() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        let effects = try d.say("s", "bonus", F.understood("bonus.wagering", candidates: ["bonus.expiry"], ambiguous: true))
        #expect(DeskDriver.texts(effects) == ["clarify"])
        #expect(d.state("s") == .clarifying(options: ["bonus.wagering", "bonus.expiry"]))
        let picked = try d.say("s", "expiry", F.understood(nil), choice: "bonus.expiry")
        #expect(DeskDriver.texts(picked) == ["answer:bonus.expiry", "did_it_help"])
    }

    @Test("the language follows the user")
    func languageSwitch() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: nil))
        try d.say("s", "merhaba", F.understood("greeting", "tr"))
        #expect(d.desk.session("s")?.locale == "tr")
        let effects = try d.say("s", "как вывести деньги", F.understood("withdrawal.how", "ru"))
        guard case .send(let answer) = effects[0] else { Issue.record("no message"); return }
        #expect(answer.text == F.bundle.answer("withdrawal.how", locale: "ru"))
    }

    @Test("frustration raises the handoff priority and offers a person")
    func frustration() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        var angry = F.understood("withdrawal.how")
        angry.frustration = 2
        let effects = try d.say("s", "scam, this is ridiculous, how do i withdraw", angry)
        #expect(DeskDriver.texts(effects) == ["answer:withdrawal.how", "frustration"])
        let ticket = try #require(DeskDriver.ticket(try d.say("s", "my deposit is missing", F.understood("deposit.missing"))))
        #expect(ticket.priority == .high)
    }

    @Test("goodbye asks for a rating; a rating closes the chat")
    func survey() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        #expect(DeskDriver.texts(try d.say("s", "bye", F.understood("goodbye"))) == ["answer:goodbye", "survey"])
        #expect(DeskDriver.texts(try d.run(.surveyGiven(session: "s", rating: 5, comment: "great"))) == ["survey_thanks"])
        #expect(d.state("s") == .closed)
        #expect(d.desk.session("s")?.rating == 5)
        #expect(throws: DialogueError.sessionClosed("s")) { try d.say("s", "hello?", F.understood("greeting")) }
    }

    @Test("an idle chat closes after the timeout, not before; a queued one waits")
    func idle() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        #expect(try d.run(.idleTimeout(session: "s"), after: 60).isEmpty)
        #expect(DeskDriver.texts(try d.run(.idleTimeout(session: "s"), after: d.desk.policy.idleTimeout)) == ["idle_closed"])
        #expect(d.state("s") == .closed)
        try d.run(.sessionOpened(session: "q", locale: "en"))
        try d.say("q", "i want a human", F.understood("human.request"))
        #expect(try d.run(.idleTimeout(session: "q"), after: 10 * d.desk.policy.idleTimeout).isEmpty)
    }

    @Test("bad events are refused and change nothing")
    func refused() throws {
        var d = DeskDriver()
        try d.run(.sessionOpened(session: "s", locale: "en"))
        let before = d.desk.state
        #expect(throws: DialogueError.unknownSession("nope")) { try d.say("nope", "hi", F.understood("greeting")) }
        #expect(throws: DialogueError.sessionExists("s")) { try d.run(.sessionOpened(session: "s", locale: nil)) }
        #expect(throws: DialogueError.unknownLocale("de")) { try d.run(.sessionOpened(session: "x", locale: "de")) }
        #expect(throws: DialogueError.invalidRating(9)) { try d.run(.surveyGiven(session: "s", rating: 9, comment: nil)) }
        #expect(throws: DialogueError.unknownDepartment("cashier")) { try d.run(.agentRegistered(agent: "a", name: "A", skills: ["cashier"], capacity: 2)) }
        #expect(throws: DialogueError.unknownAgent("ghost")) { try d.run(.agentClaimed(agent: "ghost", ticket: nil)) }
        #expect(d.desk.state == before)
    }
}
