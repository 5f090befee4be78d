// The payment model and its fit: the JSON reader and the model file, the
// fit recovering a generated ledger's ground truth within its intervals,
// priors (and plain words) when the ledger cannot identify an effect, and
// the same model for any thread count.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>
#include <fstream>
#include <map>
#include <string>

#include "runtime/counter_random.h"
#include "runtime/json.h"
#include "runtime/ledger_generator.h"
#include "runtime/ledger_loader.h"
#include "runtime/payment_backtest.h"
#include "runtime/payment_fit.h"
#include "runtime/payment_model.h"
#include "runtime/payment_truth.h"
#include "simulation/subjects.h"

namespace recoup::runtime {
namespace {

PaymentModel Priors() {
  std::ifstream stream(std::string(RECOUP_SOURCE_DIR) + "/stdlib/models/priors.json");
  std::string text((std::istreambuf_iterator<char>(stream)), std::istreambuf_iterator<char>());
  PaymentModelReadResult read = PaymentModelFromJson(text);
  INFO(read.error);
  REQUIRE(read.model);
  return *read.model;
}

// Loads the folder "l" through `read`; it must load cleanly.
Ledger Load(const FileReader& read) {
  LedgerLoadResult result = LoadLedger("l", LedgerOptions{}, read);
  INFO(RenderLedgerDiagnostics(result));
  REQUIRE(result.ok());
  return std::move(*result.ledger);
}

// Loads `files`, named without their folder.
Ledger LoadMemory(const std::map<std::string, std::string>& files) {
  return Load([&files](const std::string& path) {
    FileContents contents;
    auto found = files.find(path.substr(2));
    if (found != files.end()) {
      contents.status = FileContents::Status::Read;
      contents.bytes = found->second;
    }
    return contents;
  });
}

struct GeneratedLedger {
  Ledger ledger;
  std::string truth;
};

GeneratedLedger Generate(std::uint64_t seed, std::uint32_t customers, std::uint32_t months) {
  GeneratorOptions options = DefaultGeneratorOptions();
  options.seed = seed;
  options.customers = customers;
  options.months = months;
  MemoryLedgerSink sink;
  GenerateLedger(options, sink);
  return {Load(MemoryLedgerReader(sink, "l")), sink.Contents(GeneratedFile::GroundTruth)};
}

FitResult Fit(const Ledger& ledger, unsigned threads = 0) {
  FitOptions options;
  options.as_of = simulation::LedgerEnd(ledger);
  options.threads = threads;
  FitResult fit = FitPaymentModel(ledger, Priors(), options);
  INFO(fit.error);
  REQUIRE(fit.error.empty());
  return fit;
}

TEST_CASE("the JSON reader reads values and says where it stops", "[fit][json]") {
  JsonParseResult good = ParseJson(R"({"a": [1, 2.5e1, -3], "b": {"c": "x\"y\u00e9"}, "d": null, "e": true})");
  REQUIRE(good.value);
  CHECK(good.value->Find("a")->items[1].number == 25);
  CHECK(good.value->Find("b")->Find("c")->text == "x\"y\xc3\xa9");
  CHECK(good.value->Find("d")->IsNull());
  JsonParseResult bad = ParseJson("{\n  \"a\": [1,\n  2 3]\n}");
  CHECK(!bad.value);
  CHECK(bad.error == "3:5: expected `,` or `]` in an array");
  CHECK(ParseJson("{} x").error == "1:4: text after the end of the JSON document");
}

TEST_CASE("a model file round-trips, and a bad one is refused with its position", "[fit][model]") {
  const PaymentModel priors = Priors();
  const std::string text = PaymentModelToJson(priors);
  PaymentModelReadResult again = PaymentModelFromJson(text);
  REQUIRE(again.model);
  CHECK(PaymentModelToJson(*again.model) == text);
  CHECK(again.model->FindEffect("letter")->window_days == 10);

  std::string wrong_version = text;
  wrong_version.replace(wrong_version.find("\"recoup_payment_model\": 1"), 25, "\"recoup_payment_model\": 2");
  CHECK(PaymentModelFromJson(wrong_version).error == "2:27: this is a version 2 model; this recoup reads version 1");
  std::string above_one = text;
  above_one.replace(above_one.find("{\"value\": 0.05,"), 15, "{\"value\": 1.05,");
  PaymentModelReadResult refused = PaymentModelFromJson(above_one);
  CHECK(!refused.model);
  CHECK(refused.error.find("`value` must be a number from 0 to 1") != std::string::npos);
}

TEST_CASE("fit recovers the generating model within its 95% intervals", "[fit][validation]") {
  // Ten seeds of a modest ledger; every fitted parameter that the ground
  // truth names (hazards by segment and interval, action effects, dispute,
  // promise, agency) is checked against its own interval.
  std::size_t covered = 0, compared = 0;
  std::map<std::string, std::pair<int, int>> by_effect;
  for (std::uint64_t seed = 1; seed <= 10; ++seed) {
    GeneratedLedger generated = Generate(seed, 400, 18);
    FitResult fit = Fit(generated.ledger);
    CHECK(fit.converged);
    TruthComparisonResult comparison = CompareWithGroundTruth(fit.model, generated.truth);
    INFO(comparison.error);
    REQUIRE(comparison.error.empty());
    for (const TruthComparison& row : comparison.rows) {
      covered += row.covered ? 1 : 0;
      compared += 1;
      if (row.parameter.rfind("effect", 0) == 0) {
        by_effect[row.parameter].first += row.covered ? 1 : 0;
        by_effect[row.parameter].second += 1;
      }
      UNSCOPED_INFO(fmt::format("seed {} {}: truth {} fitted {} [{}, {}]", seed, row.parameter, row.truth,
                                row.fitted.value, row.fitted.Lower(), row.fitted.Upper()));
    }
    // Every action of the generator is identified: none falls back to a prior.
    for (const char* action : {"email", "letter", "call", "fee"}) {
      INFO(action);
      REQUIRE(fit.model.FindEffect(action) != nullptr);
      CHECK(fit.model.FindEffect(action)->factor.source == ParameterSource::Fitted);
    }
  }
  CHECK(compared >= 10 * 30);
  CHECK(static_cast<double>(covered) >= 0.9 * static_cast<double>(compared));
  for (const auto& [effect, counts] : by_effect) {
    INFO(effect);
    CHECK(10 * counts.first >= 9 * counts.second);  // each effect covered in at least 90% of the seeds
  }
}

TEST_CASE("the fitted model is the same for any thread count", "[fit]") {
  GeneratedLedger generated = Generate(9, 200, 12);
  CHECK(PaymentModelToJson(Fit(generated.ledger, 1).model) == PaymentModelToJson(Fit(generated.ledger, 3).model));
}

TEST_CASE("without actions.csv every effect is the prior, and the fit says so", "[fit][priors]") {
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency\n";
  std::string payments = "invoice_id,date,amount\n";
  RandomStream random(5, 1);
  const Date start = *Date::ParseIso("2025-01-01");
  for (int i = 0; i < 400; ++i) {
    const Date issue = start.AddDays(i % 200);
    invoices += fmt::format("I{},C{},{},{},100.00,USD\n", i, i % 20, issue.ToIso(), issue.AddDays(30).ToIso());
    if (random.Bernoulli(0.8)) {
      payments += fmt::format("I{},{},100.00\n", i, issue.AddDays(static_cast<std::int32_t>(random.UniformInt(5, 90))).ToIso());
    }
  }
  Ledger ledger = LoadMemory({{"invoices.csv", invoices}, {"payments.csv", payments}});
  FitResult fit = Fit(ledger);
  REQUIRE(fit.model.effects.size() == Priors().effects.size());
  for (const ActionEffect& effect : fit.model.effects) {
    CHECK(effect.factor.source == ParameterSource::Prior);
    CHECK(effect.factor.value == Priors().FindEffect(effect.action)->factor.value);
  }
  CHECK(fit.model.FindEffect("call")->factor.note == "no `call` action in the ledger: prior used");
  CHECK(fit.model.dispute_factor.source == ParameterSource::Prior);
  CHECK(fit.model.dispute_factor.note == "no dispute in the ledger: prior used");
  CHECK(fit.model.agency_hazard[0].source == ParameterSource::Prior);
  CHECK(fit.model.segments.size() == 1);
  CHECK(fit.model.segments[0].daily[2].source == ParameterSource::Fitted);
}

TEST_CASE("a letter everyone got on the same day after due is not separated from time", "[fit][priors]") {
  // Every invoice still open 30 days after due gets a letter that day; an
  // email goes out at a varying age, so it stays identified.
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency\n";
  std::string payments = "invoice_id,date,amount\n";
  std::string actions = "invoice_id,date,action\n";
  RandomStream random(11, 2);
  const Date start = *Date::ParseIso("2024-01-01");
  for (int i = 0; i < 3000; ++i) {
    const Date issue = start.AddDays(i % 365);
    const Date due = issue.AddDays(30);
    invoices += fmt::format("I{},C{},{},{},250.00,USD\n", i, i % 50, issue.ToIso(), due.ToIso());
    std::int32_t paid = 1;
    while (paid < 400 && !random.Bernoulli(0.02)) ++paid;
    const std::int32_t email = static_cast<std::int32_t>(random.UniformInt(0, 40));
    if (email < paid) actions += fmt::format("I{},{},email\n", i, issue.AddDays(email).ToIso());
    if (30 + 30 < paid) actions += fmt::format("I{},{},letter\n", i, due.AddDays(30).ToIso());
    if (paid < 400) payments += fmt::format("I{},{},250.00\n", i, issue.AddDays(paid).ToIso());
  }
  Ledger ledger = LoadMemory({{"invoices.csv", invoices}, {"payments.csv", payments}, {"actions.csv", actions}});
  FitResult fit = Fit(ledger);
  const ActionEffect* letter = fit.model.FindEffect("letter");
  REQUIRE(letter != nullptr);
  CHECK(letter->factor.source == ParameterSource::Prior);
  CHECK(letter->factor.value == Priors().FindEffect("letter")->factor.value);
  CHECK(letter->factor.note.find("cannot be separated from time: 100% of these actions were taken 30 days after due") == 0);
  const ActionEffect* email = fit.model.FindEffect("email");
  REQUIRE(email != nullptr);
  CHECK(email->factor.source == ParameterSource::Fitted);
  CHECK(email->factor.Lower() <= 1.0);
  CHECK(email->factor.Upper() >= 1.0);
  bool reported = false;
  for (const FitFinding& finding : fit.findings) reported = reported || finding.parameter == "action `letter`";
  CHECK(reported);
}

TEST_CASE("two actions always sent together are collinear: the later one takes its prior", "[fit][priors]") {
  // Every email goes with an SMS on the same day, and both have 7-day
  // windows: their indicators are identical, so only one can be fitted.
  std::string invoices = "invoice_id,customer_id,issue_date,due_date,amount,currency\n";
  std::string payments = "invoice_id,date,amount\n";
  std::string actions = "invoice_id,date,action\n";
  RandomStream random(12, 3);
  const Date start = *Date::ParseIso("2024-01-01");
  for (int i = 0; i < 2000; ++i) {
    const Date issue = start.AddDays(i % 300);
    invoices += fmt::format("I{},C{},{},{},90.00,USD\n", i, i % 40, issue.ToIso(), issue.AddDays(30).ToIso());
    std::int32_t paid = 1;
    while (paid < 300 && !random.Bernoulli(0.03)) ++paid;
    const std::int32_t sent = static_cast<std::int32_t>(random.UniformInt(10, 60));
    if (sent < paid) actions += fmt::format("I{},{},email\nI{},{},sms\n", i, issue.AddDays(sent).ToIso(), i, issue.AddDays(sent).ToIso());
    if (paid < 300) payments += fmt::format("I{},{},90.00\n", i, issue.AddDays(paid).ToIso());
  }
  Ledger ledger = LoadMemory({{"invoices.csv", invoices}, {"payments.csv", payments}, {"actions.csv", actions}});
  FitResult fit = Fit(ledger);
  const ActionEffect* email = fit.model.FindEffect("email");
  const ActionEffect* sms = fit.model.FindEffect("sms");
  REQUIRE(email != nullptr);
  REQUIRE(sms != nullptr);
  CHECK(email->factor.source == ParameterSource::Fitted);
  CHECK(sms->factor.source == ParameterSource::Prior);
  CHECK(sms->factor.note.find("the information matrix is singular") != std::string::npos);
}

TEST_CASE("fitted on the first year, the model predicts the next months' recovery", "[fit][backtest]") {
  GeneratedLedger generated = Generate(4, 400, 18);
  const Date cutoff = *Date::ParseIso("2024-12-31");
  FitOptions options;
  options.as_of = cutoff;
  FitResult fit = FitPaymentModel(generated.ledger, Priors(), options);
  REQUIRE(fit.error.empty());
  CHECK(fit.model.invoices < generated.ledger.invoices.size());  // later invoices are not seen
  BacktestResult backtest =
      Backtest(generated.ledger, fit.model, cutoff, simulation::LedgerEnd(generated.ledger), {30, 60, 90, 180, 400});
  REQUIRE(backtest.error.empty());
  CHECK(backtest.open_invoices > 100);
  REQUIRE(backtest.points.size() == 4);  // 400 days after the cut-off is past the ledger's end
  for (const BacktestPoint& point : backtest.points) {
    INFO(fmt::format("{} days: predicted {}, observed {}", point.days_after_cutoff, point.predicted_invoices,
                     point.observed_invoices));
    CHECK(std::fabs(point.predicted_invoices - static_cast<double>(point.observed_invoices)) <=
          0.05 * static_cast<double>(point.observed_invoices) + 5);
    CHECK(point.observed_invoices <= backtest.open_invoices);
  }
}

TEST_CASE("a model file missing a section is refused with where", "[fit][model]") {
  PaymentModelReadResult read = PaymentModelFromJson(
      "{\"recoup_payment_model\": 1, \"hazard\": {\"interval_starts_days_after_due\": [null, 0], \"segments\": {}}}");
  CHECK(!read.model);
  CHECK(read.error == "1:97: `segments` must name at least one segment");
  CHECK(PaymentModelFromJson("{\"recoup_payment_model\": 1}").error == "1:1: missing member `hazard`");
}

}  // namespace
}  // namespace recoup::runtime
