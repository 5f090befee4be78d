// The checker and the loader on policies written inline: every diagnostic
// code of compiler/ with its position, and the IR of correct policies.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compiler/checker.h"
#include "compiler/ir_printer.h"
#include "compiler/program.h"
#include "language/diagnostics.h"
#include "language/file_system.h"

namespace recoup::compiler {
namespace {

// Files held in memory. Canonical() follows `links` (a symbolic link from
// one path to another) and normalises `..`, like the real file system.
class MemoryFileSystem final : public language::FileSystem {
 public:
  std::map<std::string, std::string> files;
  std::map<std::string, std::string> links;

  std::optional<std::string> Read(const std::string& path, std::string* error) const override {
    std::optional<std::string> canonical = Canonical(path);
    if (!canonical) {
      if (error) *error = "no such file";
      return std::nullopt;
    }
    return files.at(*canonical);
  }

  std::optional<std::string> Canonical(const std::string& path) const override {
    std::string normal = std::filesystem::path(path).lexically_normal().string();
    auto link = links.find(normal);
    if (link != links.end()) normal = link->second;
    if (files.count(normal)) return normal;
    // A folder exists when some file lies below it.
    for (const auto& [file, text] : files) {
      if (file.rfind(normal + "/", 0) == 0) return normal;
    }
    return std::nullopt;
  }
};

struct Checked {
  language::SourceSet sources;
  language::DiagnosticList diagnostics;
  Program program;
  std::optional<PolicyIr> ir;

  std::vector<std::string> Codes() const {
    std::vector<std::string> codes;
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      codes.emplace_back(language::InfoOf(diagnostic.kind).code);
    }
    return codes;
  }
  std::size_t Count(const std::string& code) const {
    auto codes = Codes();
    return static_cast<std::size_t>(std::count(codes.begin(), codes.end(), code));
  }
  const language::Diagnostic& First(const std::string& code) const {
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      if (language::InfoOf(diagnostic.kind).code == code) return diagnostic;
    }
    FAIL("no diagnostic " << code << "; got: " << Dump());
    return diagnostics.all().front();
  }
  language::LineColumn Where(const language::Diagnostic& diagnostic) const {
    return sources.Get(diagnostic.range.file).Locate(diagnostic.range.begin);
  }
  std::string Text(const language::Diagnostic& diagnostic) const {
    const std::string& text = sources.Get(diagnostic.range.file).text();
    return text.substr(diagnostic.range.begin, diagnostic.range.end - diagnostic.range.begin);
  }
  std::string Dump() const {
    std::string out;
    for (const language::Diagnostic& diagnostic : diagnostics.all()) {
      language::LineColumn at = Where(diagnostic);
      out += std::string(language::InfoOf(diagnostic.kind).code) + " " + std::to_string(at.line) + ":" +
             std::to_string(at.column) + " " + diagnostic.message;
      if (!diagnostic.help.empty()) out += " [help: " + diagnostic.help + "]";
      out += "\n";
    }
    return out;
  }
};

constexpr const char* kMain = "/work/policies/main.recoup";

std::unique_ptr<Checked> CheckFiles(const std::map<std::string, std::string>& files,
                                    const std::map<std::string, std::string>& links = {}) {
  MemoryFileSystem file_system;
  file_system.files = files;
  file_system.links = links;
  auto checked = std::make_unique<Checked>();
  checked->program = LoadProgram(kMain, file_system, LoadOptions{"/stdlib"}, checked->sources, checked->diagnostics);
  if (!checked->program.trees.empty()) checked->ir = Check(checked->program, checked->sources, checked->diagnostics);
  checked->diagnostics.SortAndDeduplicate();
  return checked;
}

std::unique_ptr<Checked> CheckSource(const std::string& text) { return CheckFiles({{kMain, text}}); }

const std::string kHeader = "policy \"Test\"\ncurrency USD\n";

}  // namespace

TEST_CASE("a correct policy checks to IR with folded constants and resolved labels", "[checker]") {
  auto checked = CheckSource(kHeader + R"(const gap = 15d + 1w
const late_fee = 20 USD + 5 USD
attribute customer.credit_limit: money
reminder: at due + gap: email "first"
second: at reminder + 10bd: letter "second", fee late_fee
at second + 30d: agency "Alacrity" contingency 30% unless customer.segment == "strategic"
every 14d from due + 60d until agency max 4 times: call if customer.credit_limit > 1000 USD
at end of month of due + 30d: interest 8% per year from due + 1d
stop when invoice.balance < 5 USD: write off
pause on dispute
)");
  INFO(checked->Dump());
  REQUIRE(checked->ir);
  const PolicyIr& ir = *checked->ir;
  CHECK_FALSE(ir.is_library);
  CHECK(ir.header.name == "Test");
  CHECK(runtime::InfoOf(ir.header.currency).code == "USD");
  REQUIRE(ir.steps.size() == 5);

  const Anchor& first = ir.anchor(ir.steps[0].trigger.anchor);
  CHECK(first.base == AnchorBase::Due);
  REQUIRE(first.offsets.size() == 1);
  CHECK(first.offsets[0].duration.count == 22);
  CHECK(first.offsets[0].duration.unit == DurationUnit::Days);

  const Anchor& second = ir.anchor(ir.steps[1].trigger.anchor);
  CHECK(second.base == AnchorBase::Step);
  CHECK(second.step == 0);
  CHECK(second.offsets[0].duration.unit == DurationUnit::BusinessDays);
  REQUIRE(ir.steps[1].actions.size() == 2);
  CHECK(ir.steps[1].actions[1].kind == ActionKind::Fee);
  CHECK(ir.steps[1].actions[1].fee_amount.minor == 2500);

  const Step& agency = ir.steps[2];
  CHECK(ir.anchor(agency.trigger.anchor).step == 1);
  CHECK(agency.actions[0].percent == runtime::Decimal{30, 0});
  REQUIRE(agency.guard != kNoId);
  CHECK(ir.expression(agency.guard).kind == ExpressionKind::Not);

  const Step& recurring = ir.steps[3];
  CHECK(recurring.trigger.kind == TriggerKind::Every);
  CHECK(recurring.trigger.period.count == 14);
  CHECK(recurring.trigger.until == UntilKind::Agency);
  CHECK(recurring.trigger.max_times == 4);
  const Expression& guard = ir.expression(recurring.guard);
  CHECK(guard.kind == ExpressionKind::Greater);
  CHECK(ir.expression(guard.left).kind == ExpressionKind::Attribute);
  CHECK(ir.value(ir.expression(guard.right).value).money.minor == 100000);

  const Anchor& end_of_month = ir.anchor(ir.steps[4].trigger.anchor);
  CHECK(end_of_month.base == AnchorBase::EndOfMonth);
  CHECK(ir.steps[4].actions[0].annual_rate == runtime::Decimal{8, 0});
  CHECK(ir.steps[4].actions[0].interest_from != kNoId);

  REQUIRE(ir.stops.size() == 1);
  CHECK(ir.stops[0].actions[0].kind == ActionKind::WriteOff);
  REQUIRE(ir.pauses.size() == 1);
  CHECK(ir.pauses[0].rule == PauseRule::Defer);
  REQUIRE(ir.attributes.size() == 1);
  CHECK(ir.attributes[0].type.type == Type::Money);

  std::string printed = PrintPolicyIr(ir);
  CHECK(printed.find("step 1 second: at step 0 (reminder) + 10bd") != std::string::npos);
  CHECK(printed == PrintPolicyIr(ir));
}

TEST_CASE("the default cost table comes from the standard library, converted to the policy currency", "[checker]") {
  std::string standard = "costs standard {\n email 0.01 USD\n letter 1.25 USD\n call 4.50 USD\n}\n";
  SECTION("in USD") {
    auto checked = CheckFiles({{kMain, kHeader + "at due: email \"x\"\n"}, {"/stdlib/costs/standard.recoup", standard}});
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    CHECK(checked->ir->header.costs_name == "standard");
    CHECK(checked->ir->header.costs[static_cast<int>(ActionKind::Letter)].minor == 125);
  }
  SECTION("in JPY the amounts are rounded to whole yen") {
    auto checked = CheckFiles({{kMain, "policy \"P\"\ncurrency JPY\nat due: email \"x\"\n"},
                               {"/stdlib/costs/standard.recoup", standard}});
    REQUIRE(checked->ir);
    CHECK(checked->ir->header.costs[static_cast<int>(ActionKind::Call)].minor == 4);
  }
  SECTION("overridden in the header") {
    auto checked = CheckFiles({{kMain, kHeader + "costs { letter 2 USD }\nat due: letter \"x\"\n"},
                               {"/stdlib/costs/standard.recoup", standard}});
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    CHECK(checked->ir->header.costs[static_cast<int>(ActionKind::Letter)].minor == 200);
    CHECK(checked->ir->header.costs[static_cast<int>(ActionKind::Call)].minor == 450);
  }
  SECTION("without the standard library every action costs zero") {
    auto checked = CheckSource(kHeader + "at due: email \"x\"\n");
    REQUIRE(checked->ir);
    CHECK(checked->ir->header.costs_name == "zero");
  }
}

TEST_CASE("imports: names, aliases, calendars, and what goes wrong", "[checker][imports]") {
  std::string calendar = "calendar office {\n weekend sat, sun\n holiday 2026-01-01 \"New Year\"\n}\n";
  SECTION("a calendar from the standard library and a constant under an alias") {
    auto checked = CheckFiles({{kMain, "import \"stdlib/calendars/office.recoup\"\nimport \"lib/values.recoup\" as v\n" +
                                           kHeader + "calendar office\nat due + v.gap: email \"x\"\n"},
                               {"/stdlib/calendars/office.recoup", calendar},
                               {"/work/policies/lib/values.recoup", "const gap = 5d\npolicy \"ignored\"\nat due: call\n"}});
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    CHECK(checked->ir->header.calendar.name == "office");
    REQUIRE(checked->ir->header.calendar.holidays.size() == 1);
    CHECK(checked->ir->steps.size() == 1);
    CHECK(checked->ir->anchor(checked->ir->steps[0].trigger.anchor).offsets[0].duration.count == 5);
  }
  SECTION("E0301: a missing file, at the import's path") {
    auto checked = CheckSource("import \"nothere.recoup\"\n" + kHeader);
    const auto& diagnostic = checked->First("E0301");
    CHECK(checked->Where(diagnostic).line == 1);
    CHECK(checked->Where(diagnostic).column == 8);
    CHECK(diagnostic.message.find("no such file") != std::string::npos);
    CHECK_FALSE(checked->ir);
  }
  SECTION("E0302: a cycle, with the chain in notes") {
    auto checked = CheckFiles({{kMain, "import \"a.recoup\"\n" + kHeader},
                               {"/work/policies/a.recoup", "import \"b.recoup\"\nconst x = 1\n"},
                               {"/work/policies/b.recoup", "import \"a.recoup\"\nconst y = 2\n"}});
    REQUIRE(checked->Count("E0302") == 1);
    const auto& diagnostic = checked->First("E0302");
    CHECK(checked->sources.Get(diagnostic.range.file).path() == "/work/policies/b.recoup");
    CHECK(diagnostic.notes.size() == 1);
  }
  SECTION("E0302: a file importing itself") {
    auto checked = CheckSource("import \"main.recoup\"\n" + kHeader);
    CHECK(checked->Count("E0302") == 1);
  }
  SECTION("E0303: outside the policy folder, by .. or by a symbolic link") {
    auto checked = CheckFiles({{kMain, "import \"../../etc/passwd\"\nimport \"link.recoup\"\n" + kHeader},
                               {"/etc/passwd", "root"},
                               {"/secret/s.recoup", "const s = 1\n"}},
                              {{"/work/policies/link.recoup", "/secret/s.recoup"}});
    CHECK(checked->Count("E0303") == 2);
  }
  SECTION("E0101 for an unknown alias and an unknown imported name") {
    auto checked = CheckFiles({{kMain, "import \"lib.recoup\" as lib\n" + kHeader +
                                           "at due + lib.gapp: email \"x\"\nat due + lbi.gap: email \"y\"\n"},
                               {"/work/policies/lib.recoup", "const gap = 5d\n"}});
    REQUIRE(checked->Count("E0101") == 2);
    CHECK(checked->Dump().find("did you mean `lib.gap`?") != std::string::npos);
  }
}

TEST_CASE("names: unknown, wrong kind, duplicate", "[checker][names]") {
  SECTION("E0101 with did-you-mean over constants") {
    auto checked = CheckSource(kHeader + "const reminder_gap = 14d\nat due + reminder_gpa: email \"x\"\n");
    const auto& diagnostic = checked->First("E0101");
    CHECK(checked->Where(diagnostic).line == 4);
    CHECK(checked->Where(diagnostic).column == 10);
    CHECK(diagnostic.help == "did you mean `reminder_gap`?");
  }
  SECTION("E0101 for a field, with did-you-mean or how to declare the column") {
    auto checked = CheckSource(kHeader + "attribute invoice.region: text\n"
                                         "at due: email \"x\" if invoice.regoin == \"EU\"\n"
                                         "at due: email \"y\" if customer.industry == \"retail\"\n");
    REQUIRE(checked->Count("E0101") == 2);
    std::string dump = checked->Dump();
    CHECK(dump.find("did you mean `invoice.region`?") != std::string::npos);
    CHECK(dump.find("`attribute customer.industry: text`") != std::string::npos);
  }
  SECTION("E0113: a template used as a value, a constant as a calendar or template") {
    auto checked = CheckSource("template t() {\n at due: email \"x\"\n}\nconst c = 1\n" + kHeader +
                               "calendar c\nuse c()\nat due + t: email \"x\"\n");
    CHECK(checked->Count("E0113") == 3);
  }
  SECTION("E0106: a name defined twice, with a note at the first") {
    auto checked = CheckSource(kHeader + "const a = 1\ncalendar a {\n weekend sun\n}\nat due: email \"x\"\n");
    const auto& diagnostic = checked->First("E0106");
    CHECK(checked->Where(diagnostic).line == 4);
    REQUIRE(diagnostic.notes.size() == 1);
    CHECK(checked->sources.Get(0).Locate(diagnostic.notes[0].range.begin).line == 3);
  }
  SECTION("E0106: an attribute declared twice") {
    auto checked = CheckSource(kHeader + "attribute invoice.region: text\nattribute invoice.region: count\n"
                                         "at due: email \"x\" if invoice.region == \"EU\"\n");
    CHECK(checked->Count("E0106") == 1);
  }
}

TEST_CASE("header lines", "[checker][header]") {
  SECTION("E0107: a policy without currency") {
    auto checked = CheckSource("policy \"P\"\nat due: email \"x\"\n");
    CHECK(checked->Count("E0107") == 1);
    CHECK(checked->Where(checked->First("E0107")).line == 1);
  }
  SECTION("E0205: steps without a policy line") {
    auto checked = CheckSource("const a = 1\nat due: email \"x\"\n");
    CHECK(checked->Count("E0205") == 1);
    CHECK(checked->Where(checked->First("E0205")).line == 2);
  }
  SECTION("E0108: a repeated header line, with a note") {
    auto checked = CheckSource(kHeader + "currency EUR\nat due: email \"x\"\n");
    const auto& diagnostic = checked->First("E0108");
    CHECK(checked->Where(diagnostic).line == 3);
    CHECK(diagnostic.notes.size() == 1);
  }
  SECTION("E0007: an unknown currency, in the header and in a literal") {
    auto checked = CheckSource("policy \"P\"\ncurrency USX\nconst a = 5 XYZ\n");
    CHECK(checked->Count("E0007") == 2);
  }
}

TEST_CASE("money: decimals and the policy currency", "[checker][money]") {
  auto checked = CheckSource(kHeader + "const a = 1.234 USD\nconst b = 0.5 JPY\nconst eur = 40 EUR\n"
                                       "at due: fee 10 EUR\nat due: fee eur\nat due: call if invoice.balance > a\n");
  CHECK(checked->Count("E0112") == 2);
  CHECK(checked->Count("E0115") == 2);
  const auto& decimals = checked->First("E0112");
  CHECK(checked->Where(decimals).line == 3);
  CHECK(checked->Text(decimals) == "1.234 USD");
}

TEST_CASE("units and types", "[checker][types]") {
  SECTION("E0102: adding money to a duration, at the whole expression") {
    auto checked = CheckSource(kHeader + "const x = 30d + 5 USD\n");
    const auto& diagnostic = checked->First("E0102");
    CHECK(diagnostic.message == "cannot add money to a duration");
    CHECK(checked->Text(diagnostic) == "30d + 5 USD");
  }
  SECTION("E0103: EUR compared with USD") {
    auto checked = CheckSource("const limit = 10 USD\nconst x = 5 EUR < limit\n");
    CHECK(checked->First("E0103").message == "cannot compare EUR with USD");
  }
  SECTION("E0105: a guard that is not a condition, max not a count, every not a duration") {
    auto checked = CheckSource(kHeader + "at due: email \"x\" if 3\n"
                                         "every 14d from due max 2.5 times: email \"y\"\n"
                                         "every 5 USD from due max 2 times: email \"z\"\n");
    CHECK(checked->Count("E0105") == 3);
  }
  SECTION("no cascade: one mistake, one diagnostic") {
    auto checked = CheckSource(kHeader + "at due: email \"x\" if (30d + 5 USD) * 2 > 3 and unknown_thing\n");
    CHECK(checked->Count("E0102") == 1);
    CHECK(checked->Count("E0101") == 1);
    CHECK(checked->diagnostics.all().size() == 2);
  }
  SECTION("unit rules that hold") {
    auto checked = CheckSource(kHeader + R"(const a = 2% of 100 USD
const b = 100 USD / 4
const c = 100 USD / 50 USD
const d = 2026-03-01 - 2026-02-01
const e = 4.5% + 8%
const f = e per year
const g = 3 * 1.5
at due: fee a
at due + d: fee b if c == 2 and g > 4
at due: interest f
)");
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    CHECK(checked->ir->steps[0].actions[0].fee_amount.minor == 200);
    CHECK(checked->ir->steps[1].actions[0].fee_amount.minor == 2500);
    CHECK(checked->ir->anchor(checked->ir->steps[1].trigger.anchor).offsets[0].duration.count == 28);
    CHECK(checked->ir->steps[1].guard != kNoId);
    CHECK(checked->ir->steps[2].actions[0].annual_rate == runtime::Decimal{125, 1});
  }
}

TEST_CASE("percentages out of range", "[checker][types]") {
  auto checked = CheckSource(kHeader + "at due: fee 150% of balance\n"
                                       "at due: agency \"A\" contingency 101%\n"
                                       "at due: interest -1% per year\n"
                                       "at due: fee -5% of amount\n");
  CHECK(checked->Count("E0104") == 4);
}

TEST_CASE("a fee's minimum above its maximum", "[checker][types]") {
  auto checked = CheckSource(kHeader + "at due: fee 2% of balance min 50 USD max 10 USD\n");
  CHECK(checked->Count("E0105") == 1);
}

TEST_CASE("constant folding errors", "[checker][constants]") {
  SECTION("E0109: a constant reading the invoice, today or fired()") {
    auto checked = CheckSource(kHeader + "const a = invoice.amount\nconst b = today\nconst c = fired(x) + 1\n");
    CHECK(checked->Count("E0109") == 3);
    CHECK(checked->Where(checked->First("E0109")).line == 3);
  }
  SECTION("E0110 and E0111") {
    auto checked = CheckSource("const a = 10 / 0\nconst b = 5 USD / 0\n"
                               "const c = 9000000000000000000 * 10\n");
    CHECK(checked->Count("E0110") == 2);
    CHECK(checked->Count("E0111") == 1);
  }
  SECTION("a constant defined in terms of itself") {
    auto checked = CheckSource("const a = b + 1\nconst b = a + 1\n");
    CHECK(checked->Count("E0109") == 1);
  }
}

TEST_CASE("E0114: invalid calendars", "[checker][calendar]") {
  auto checked = CheckSource("calendar closed {\n weekend mon, tue, wed, thu, fri, sat, sun\n}\n"
                             "calendar twice {\n weekend sat\n holiday 2026-01-01\n holiday 2026-01-01\n}\n");
  INFO(checked->Dump());
  CHECK(checked->Count("E0114") == 2);
}

TEST_CASE("steps: labels and anchors", "[checker][steps]") {
  SECTION("E0201 with did-you-mean, for anchors, until and fired()") {
    auto checked = CheckSource(kHeader + "final: at due + 30d: letter \"x\"\n"
                                         "at fnial + 5d: call\n"
                                         "every 7d from due until finale: email \"y\"\n"
                                         "at due: email \"z\" if fired(fianl) > 0\n");
    REQUIRE(checked->Count("E0201") == 3);
    CHECK(checked->First("E0201").help == "did you mean `final`?");
    CHECK(checked->Where(checked->First("E0201")).line == 4);
  }
  SECTION("E0202 once per cycle, with notes along it") {
    auto checked = CheckSource(kHeader + "a: at c + 1d: email \"x\"\nb: at a + 1d: email \"y\"\n"
                                         "c: at b + 1d: email \"z\"\nd: at d: call\n");
    REQUIRE(checked->Count("E0202") == 2);
    const auto& diagnostic = checked->First("E0202");
    CHECK(checked->Where(diagnostic).line == 3);
    CHECK(diagnostic.notes.size() == 2);
  }
  SECTION("E0203 with a note at the first") {
    auto checked = CheckSource(kHeader + "x: at due: email \"a\"\nx: at due + 1d: email \"b\"\n");
    const auto& diagnostic = checked->First("E0203");
    CHECK(checked->Where(diagnostic).line == 4);
    CHECK(diagnostic.notes.size() == 1);
  }
  SECTION("E0204: zero period and negative max") {
    auto checked = CheckSource(kHeader + "every 0d from due max 3 times: email \"a\"\n"
                                         "every 7d from due max -1 times: email \"b\"\n");
    CHECK(checked->Count("E0204") == 2);
  }
}

TEST_CASE("templates", "[checker][templates]") {
  std::string ladder = "template ladder(first: duration, late_fee: money) {\n"
                       "  l1: at due + first: email \"reminder\"\n"
                       "  at l1 + 15d: letter \"reminder-2\", fee late_fee\n"
                       "}\n";
  SECTION("expansion substitutes the values") {
    auto checked = CheckSource(ladder + kHeader + "use ladder(first: 10d, late_fee: 25 USD)\n");
    INFO(checked->Dump());
    REQUIRE(checked->ir);
    REQUIRE(checked->ir->steps.size() == 2);
    CHECK(checked->ir->anchor(checked->ir->steps[0].trigger.anchor).offsets[0].duration.count == 10);
    CHECK(checked->ir->steps[1].actions[1].fee_amount.minor == 2500);
    CHECK(checked->ir->steps[1].expanded_from.size() == 1);
    CHECK(checked->ir->anchor(checked->ir->steps[1].trigger.anchor).step == 0);
  }
  SECTION("E0401: missing, unknown, repeated and mistyped arguments, one each") {
    auto checked = CheckSource(ladder + kHeader +
                               "use ladder(first: 10d)\n"
                               "use ladder(first: 10d, late_fee: 5 USD, lat_fee: 1 USD)\n"
                               "use ladder(first: 10d, first: 11d, late_fee: 5 USD)\n"
                               "use ladder(first: 5 USD, late_fee: 5 USD)\n");
    CHECK(checked->Count("E0401") == 4);
    CHECK(checked->Dump().find("did you mean `late_fee`?") != std::string::npos);
  }
  SECTION("E0203 across two uses, with notes at the uses") {
    auto checked = CheckSource(ladder + kHeader + "use ladder(first: 10d, late_fee: 25 USD)\n"
                                                  "use ladder(first: 20d, late_fee: 25 USD)\n");
    REQUIRE(checked->Count("E0203") == 1);
    CHECK(checked->First("E0203").notes.size() >= 2);
  }
  SECTION("value-dependent problems are reported at the template with a note at the use") {
    auto checked = CheckSource("template t(p: percent) {\n at due: fee p of balance\n}\n" + kHeader +
                               "use t(p: 120%)\nuse t(p: 130%)\n");
    REQUIRE(checked->Count("E0104") == 2);
    const auto& diagnostic = checked->First("E0104");
    CHECK(checked->Where(diagnostic).line == 2);
    CHECK(diagnostic.notes.size() == 1);
  }
  SECTION("a template's own mistakes are reported once, even when used twice or never") {
    auto checked = CheckSource("template t(d: duration) {\n at due + d: email \"x\" if d + 5 USD > 0\n}\n"
                               "template unused() {\n at due: email nope\n}\n" +
                               kHeader + "use t(d: 1d)\nuse t(d: 2d)\n");
    CHECK(checked->Count("E0102") == 1);
    CHECK(checked->Count("E0101") == 1);
  }
  SECTION("E0115 inside an expansion, with a note at the use; at the argument when it is the argument") {
    std::string body = "template t(f: money) {\n at due: fee f, letter \"x\"\n at due + 1d: fee 5 EUR\n}\n";
    auto inside = CheckSource(body + kHeader + "use t(f: 10 USD)\n");
    REQUIRE(inside->Count("E0115") == 1);
    CHECK(inside->Where(inside->First("E0115")).line == 3);
    CHECK(inside->First("E0115").notes.size() == 1);
    auto argument = CheckSource(body + kHeader + "use t(f: 10 EUR)\n");
    REQUIRE(argument->Count("E0115") == 1);
    CHECK(argument->Where(argument->First("E0115")).line == 7);
  }
  SECTION("E0402: recursion, once per cycle") {
    auto checked = CheckSource("template a() {\n use b()\n}\ntemplate b() {\n use a()\n}\n"
                               "template c() {\n use c()\n}\n" + kHeader + "use a()\nuse c()\n");
    CHECK(checked->Count("E0402") == 2);
  }
}

TEST_CASE("labels resolve everywhere: anchors, until, interest from, fired()", "[checker][steps]") {
  auto checked = CheckSource(kHeader + "start: at due + 1d: email \"a\"\n"
                                       "every 7d from start until stop_here max 9 times: email \"b\"\n"
                                       "stop_here: at start + 30d: interest 5% per year from start, call\n"
                                       "at due + 40d: letter \"c\" if fired(stop_here) == 0\n");
  INFO(checked->Dump());
  REQUIRE(checked->ir);
  const PolicyIr& ir = *checked->ir;
  CHECK(ir.anchor(ir.steps[1].trigger.until_anchor).step == 2);
  CHECK(ir.anchor(ir.steps[2].actions[0].interest_from).step == 0);
  CHECK(ir.expression(ir.expression(ir.steps[3].guard).left).step == 2);
}

TEST_CASE("E0501: invalid tests", "[checker][tests]") {
  auto checked = CheckSource(kHeader + R"(at due: email "x"
test "no invoice" {
  expect never agency
}
test "unknown id" {
  invoice "A" 100 USD issued 2026-01-01 due 2026-01-31
  payment 50 USD on 2026-02-01 for "B"
}
test "several without ids" {
  invoice 100 USD issued 2026-01-01 due 2026-01-31
  invoice 200 USD issued 2026-01-01 due 2026-01-31
}
)");
  CHECK(checked->Count("E0501") == 4);
}

TEST_CASE("tests resolve dates and money", "[checker][tests]") {
  auto checked = CheckSource(kHeader + R"(at due + 30d: fee 25 USD
test "fee" {
  invoice 1000 USD issued 2026-01-01 due 2026-01-31
  customer segment = "strategic"
  payment 500 USD on 2026-02-15
  expect fee 25 USD at due + 30d
  expect email "x" at due + 1bd
  expect never agency
}
)");
  INFO(checked->Dump());
  REQUIRE(checked->ir);
  REQUIRE(checked->ir->tests.size() == 1);
  const PolicyTest& test = checked->ir->tests[0];
  CHECK(test.invoices[0].amount.minor == 100000);
  CHECK(test.events[0].amount.minor == 50000);
  CHECK(test.expectations[0].date.ToIso() == "2026-03-02");
  CHECK(test.expectations[1].date.ToIso() == "2026-02-02");  // 2026-01-31 is a Saturday
  REQUIRE(test.customer.size() == 1);
  CHECK(test.customer[0].field == Field::CustomerSegment);
}

TEST_CASE("warnings", "[checker][warnings]") {
  SECTION("W0001: constant guards, max 0, anchored to an unreachable step") {
    auto checked = CheckSource(kHeader + "a: at due: email \"x\" if false\n"
                                         "at a + 1d: call\n"
                                         "at due: letter \"y\" unless true\n"
                                         "every 7d from due max 0 times: email \"z\"\n");
    CHECK(checked->Count("W0001") == 4);
    REQUIRE(checked->ir);
    CHECK(checked->ir->steps[1].unreachable);
  }
  SECTION("W0001: applies to always false, once") {
    auto checked = CheckSource(kHeader + "applies to 1 > 2\nat due: email \"x\"\nat due: call\n");
    CHECK(checked->Count("W0001") == 1);
  }
  SECTION("W0002: after a write-off or an agency hand-off") {
    auto checked = CheckSource(kHeader + "done: at due + 90d: write off\n"
                                         "at due + 100d: email \"late\"\n"
                                         "at done + 1d: call\n"
                                         "at due + 80d: letter \"fine\"\n"
                                         "at due + 95d: email \"guarded\" if invoice.balance > 5 USD\n"
                                         "at issue + 200d: email \"other root\"\n");
    INFO(checked->Dump());
    CHECK(checked->Count("W0002") == 2);
  }
  SECTION("W0002: agency only ends the policy with `after agency: stop`") {
    auto stops = CheckSource(kHeader + "at due + 60d: agency \"A\" contingency 20%\nat due + 70d: email \"x\"\n");
    CHECK(stops->Count("W0002") == 1);
    auto continues = CheckSource(kHeader + "after agency: continue\n"
                                           "at due + 60d: agency \"A\" contingency 20%\nat due + 70d: email \"x\"\n");
    CHECK(continues->Count("W0002") == 0);
  }
  SECTION("W0002: business days are compared only when sound") {
    // A write-off at 10bd may be any day from 10 on: nothing is surely after it.
    CHECK(CheckSource(kHeader + "at due + 10bd: write off\nat due + 12d: email \"x\"\n")->Count("W0002") == 0);
    // 3bd is at least 3 days: not surely after 5d.
    CHECK(CheckSource(kHeader + "at due + 5d: write off\nat due + 3bd: email \"x\"\n")->Count("W0002") == 0);
    // 6bd is at least 6 days: surely after 5d.
    CHECK(CheckSource(kHeader + "at due + 5d: write off\nat due + 6bd: email \"x\"\n")->Count("W0002") == 1);
  }
  SECTION("W0003: a milder channel after a stronger one, naming both") {
    auto checked = CheckSource(kHeader + "at due - 7d: email \"upcoming\"\n"
                                         "at due + 30d: letter \"second\"\n"
                                         "at due + 45d: call\n"
                                         "final: at due + 60d: letter \"final\"\n"
                                         "at final + 1w: email \"after final\"\n");
    // A letter and a call rank the same, so only the final email steps back.
    REQUIRE(checked->Count("W0003") == 1);
    const auto& diagnostic = checked->First("W0003");
    CHECK(checked->Where(diagnostic).line == 7);
    CHECK(diagnostic.message.find("an email") != std::string::npos);
    CHECK(diagnostic.message.find("a letter") != std::string::npos);
    CHECK(diagnostic.notes.size() == 1);
  }
  SECTION("W0003: not for a contact that accompanies a fee or a suspension, nor for recurring steps") {
    auto checked = CheckSource(kHeader + "at due + 45d: call\n"
                                         "at due + 50d: fee 10 USD, email \"fee-added\"\n"
                                         "at due + 60d: suspend service, letter \"suspended\"\n"
                                         "every 7d from due + 70d max 3 times: email \"nag\"\n");
    CHECK(checked->Count("W0003") == 0);
  }
  SECTION("W0004: unused constants, templates and attributes of the main file") {
    auto checked = CheckSource("template t() {\n at due: email \"x\"\n}\n" + kHeader +
                               "const unused = 1\nconst used = 2d\nattribute invoice.region: text\n"
                               "at due + used: email \"x\"\n");
    CHECK(checked->Count("W0004") == 3);
  }
  SECTION("no W0004 in a library file checked on its own") {
    auto checked = CheckSource("const unused = 1\ntemplate t() {\n at due: email \"x\"\n}\n");
    CHECK(checked->Count("W0004") == 0);
    REQUIRE(checked->ir);
    CHECK(checked->ir->is_library);
  }
  SECTION("W0005: an empty file") {
    auto checked = CheckSource("# nothing here\n");
    CHECK(checked->Count("W0005") == 1);
  }
}

TEST_CASE("a library's errors are reported when it is checked on its own", "[checker]") {
  auto checked = CheckSource("const a = 5 USD + 1d\ntemplate t(x: count) {\n at due + x: email \"x\"\n}\n");
  CHECK(checked->Count("E0102") == 1);
  CHECK(checked->Count("E0105") == 1);
  CHECK_FALSE(checked->ir);
}

TEST_CASE("checking many steps takes linear time", "[checker][performance]") {
  std::string text = kHeader;
  const int steps = 20000;
  for (int i = 0; i < steps; ++i) {
    text += "s" + std::to_string(i) + ": at " + (i == 0 ? std::string("due") : "s" + std::to_string(i - 1)) +
            " + 1d: " + (i % 3 == 0 ? "call" : "email \"e\"") + " if invoice.balance > 10 USD\n";
  }
  auto start = std::chrono::steady_clock::now();
  auto checked = CheckSource(text);
  auto elapsed = std::chrono::steady_clock::now() - start;
  INFO(checked->Dump().substr(0, 2000));
  REQUIRE(checked->ir);
  CHECK(checked->ir->steps.size() == steps);
  CHECK(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count() < 10);
}

}  // namespace recoup::compiler
