// What a draw computes once per subject or per model instead of once per
// draw or per segment (docs/model.md, "Speed") gives exactly what it
// replaced: the streams mixed from a prefix, and hazard segments built
// from a model's tables kept across subjects.
#include <catch2/catch.hpp>

#include <cstdint>
#include <vector>

#include "runtime/counter_random.h"
#include "simulation/monte_carlo_internal.h"

namespace recoup::simulation {
namespace {

namespace detail = monte_carlo_detail;

TEST_CASE("a stream made from its prefix is the stream its name makes", "[monte-carlo]") {
  for (std::uint64_t seed : {0ULL, 1ULL, 0xFFFFFFFFFFFFFFFFULL}) {
    for (std::uint64_t invoice : {0ULL, 7ULL, 999999ULL}) {
      const std::uint64_t prefix = runtime::RandomStream::Prefix(seed, 101, invoice);
      for (std::uint64_t draw : {0ULL, 1ULL, 99ULL, 1ULL << 40}) {
        runtime::RandomStream named(seed, 101, invoice, draw);
        runtime::RandomStream mixed = runtime::RandomStream::FromPrefix(prefix, draw);
        for (int k = 0; k < 4; ++k) CHECK(named.NextBits() == mixed.NextBits());
      }
      // A different prefix, a different stream.
      runtime::RandomStream other = runtime::RandomStream::FromPrefix(runtime::RandomStream::Prefix(seed, 102, invoice), 0);
      CHECK(runtime::RandomStream(seed, 101, invoice, 0).NextBits() != other.NextBits());
    }
  }
}

// One invoice due on day `due`, with `actions` (sorted by day), in a run record.
detail::RunRecord RecordWith(const std::vector<detail::DatedAction>& actions, std::int32_t placed = detail::kNever) {
  detail::RunRecord record;
  record.placed = {placed};
  record.written_off = {detail::kNever};
  record.covered = {1};
  record.actions = actions;
  record.action_begin = {0, static_cast<std::uint32_t>(actions.size())};
  record.owed_begin = {0, 0};
  record.window_begin = {0, 0};
  return record;
}

std::vector<detail::HazardSegment> Segments(const detail::RunRecord& record) {
  return {record.segments.begin() + record.segment_range[0].first,
          record.segments.begin() + record.segment_range[0].second};
}

void CheckSame(const std::vector<detail::HazardSegment>& a, const std::vector<detail::HazardSegment>& b) {
  REQUIRE(a.size() == b.size());
  for (std::size_t s = 0; s < a.size(); ++s) {
    INFO(s);
    CHECK(a[s].from == b[s].from);
    CHECK(a[s].certain == b[s].certain);
    CHECK(a[s].rate == b[s].rate);  // bit for bit, not approximately
    CHECK(a[s].length == b[s].length);
    CHECK(a[s].cumulative_before == b[s].cumulative_before);
  }
}

TEST_CASE("hazard segments built with a model's kept tables equal those built afresh", "[monte-carlo]") {
  compiler::abi::InvoiceView invoice;
  invoice.issue = 70;
  invoice.due = 100;
  invoice.amount = 1000;
  compiler::abi::SubjectView view;
  view.invoices = &invoice;
  view.invoice_count = 1;
  detail::SubjectFrame frame{&view, runtime::Date::FromDays(400)};
  runtime::PaymentModel model;
  model.interval_starts = {runtime::kOpenIntervalStart, 1, 31, 61};
  model.segments.resize(2);
  model.segments[0].name = "smb";
  model.segments[0].daily = {runtime::Estimate{0.02}, runtime::Estimate{0.011}, runtime::Estimate{0.007},
                             runtime::Estimate{0.003}};
  model.segments[1].name = "enterprise";
  model.segments[1].daily = {runtime::Estimate{0.03}, runtime::Estimate{0.013}, runtime::Estimate{0.005},
                             runtime::Estimate{0.001}};
  model.effects = {{"email", 7, runtime::Estimate{1.5}}, {"call", 10, runtime::Estimate{2.5}}};
  model.agency_interval_starts = {0, 30};
  model.agency_hazard = {runtime::Estimate{0.004}, runtime::Estimate{0.002}};
  const std::vector<std::vector<detail::DatedAction>> runs = {
      {},
      {{0, 110, compiler::ActionKind::Email}, {0, 140, compiler::ActionKind::Call}},
      {{0, 95, compiler::ActionKind::Letter}, {0, 130, compiler::ActionKind::Email}, {0, 160, compiler::ActionKind::Agency}},
  };
  // One scratch for everything (tables kept from segment to segment and
  // run to run), against a fresh scratch for each build.
  detail::RunScratch kept;
  for (int round = 0; round < 2; ++round) {
    for (const runtime::SegmentHazards& hazards : model.segments) {
      for (std::size_t r = 0; r < runs.size(); ++r) {
        INFO("run " << r << ", segment " << hazards.name);
        const std::int32_t placed = r == 2 ? 160 : detail::kNever;
        detail::RunRecord warm = RecordWith(runs[r], placed);
        detail::EnsureSegments(frame, model, hazards, warm, 0, kept);
        detail::RunRecord cold = RecordWith(runs[r], placed);
        detail::RunScratch fresh;
        detail::EnsureSegments(frame, model, hazards, cold, 0, fresh);
        CHECK_FALSE(Segments(warm).empty());
        CheckSame(Segments(warm), Segments(cold));
      }
    }
  }
  // Hazards that are not the model's own segment are not kept, and still right.
  runtime::SegmentHazards outside = model.segments[1];
  detail::RunRecord warm = RecordWith(runs[1]);
  detail::EnsureSegments(frame, model, outside, warm, 0, kept);
  detail::RunRecord cold = RecordWith(runs[1]);
  detail::EnsureSegments(frame, model, model.segments[1], cold, 0, kept);
  CheckSame(Segments(warm), Segments(cold));
  // Another model with other numbers: its own rates, not the first model's.
  runtime::PaymentModel changed = model;
  changed.segments[0].daily[1] = runtime::Estimate{0.05};
  detail::RunRecord before = RecordWith(runs[0]);
  detail::EnsureSegments(frame, model, model.segments[0], before, 0, kept);
  detail::RunRecord after = RecordWith(runs[0]);
  detail::EnsureSegments(frame, changed, changed.segments[0], after, 0, kept);
  detail::RunRecord fresh_after = RecordWith(runs[0]);
  detail::RunScratch fresh;
  detail::EnsureSegments(frame, changed, changed.segments[0], fresh_after, 0, fresh);
  CheckSame(Segments(after), Segments(fresh_after));
  CHECK(Segments(after)[1].rate != Segments(before)[1].rate);
}

}  // namespace
}  // namespace recoup::simulation
