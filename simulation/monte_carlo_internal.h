// The Monte Carlo simulation of one subject (monte_carlo_subject.cpp) and
// the engine runs it reads (monte_carlo_runs.cpp), used by the driver in
// monte_carlo.cpp. See docs/model.md, "Simulating".
#pragma once

#include <array>
#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

#include "compiler/engine.h"
#include "compiler/policy_ir.h"
#include "runtime/counter_random.h"
#include "runtime/decimal.h"
#include "runtime/ledger.h"
#include "runtime/payment_model.h"
#include "simulation/outcome.h"
#include "simulation/replay.h"
#include "simulation/subjects.h"

namespace recoup::simulation::monte_carlo_detail {

// Purposes that name random streams, so no two draws share one.
enum class StreamPurpose : std::uint64_t { PaymentClock = 101, Promise = 102, Parameters = 103 };

inline constexpr std::int32_t kNever = std::numeric_limits<std::int32_t>::max();

// One change a draw made to its subject's facts, in the order made. The
// facts of a run are the subject's own (no payments, no promises) plus
// these, so the list names the run: equal lists, equal runs.
struct SampledFact {
  enum class Kind : std::uint8_t { Payment, Promise, Settled };
  Kind kind = Kind::Payment;
  std::int32_t invoice = 0;  // index into the subject's invoices
  std::int32_t day = 0;      // paid on, promise made on, settled on
  std::int32_t until = 0;    // Promise: the promised day
  std::int64_t amount = 0;   // Payment: minor units
  friend bool operator==(const SampledFact&, const SampledFact&) = default;
};

// An action as the payment model sees it: its day and kind.
struct DatedAction {
  std::int32_t invoice = 0;
  std::int32_t day = 0;
  compiler::ActionKind kind = compiler::ActionKind::Email;
};

// An action of a run as the outcome counts it (one per action of the
// trace, whatever it covers): its day, kind and cost.
struct FiredAction {
  std::int32_t day = 0;
  compiler::ActionKind kind = compiler::ActionKind::Email;
  std::int64_t cost = 0;
};

// A change to what an invoice owes: counted for a payment on a later day,
// and also on its own day when `on_the_day` (payments, interest posted).
struct OwedChange {
  std::int32_t invoice = 0;
  std::int32_t day = 0;
  std::int64_t amount = 0;
  bool on_the_day = false;
};

// An open dispute (days begin .. end) or a promise's days (made .. promised).
struct FactWindow {
  std::int32_t invoice = 0;
  std::int32_t begin = 0, end = 0;
  bool promise = false;
};

// A stretch of days over which an invoice's first-payment hazard is
// constant, with the cumulative hazard before it (-log(1 - h) per day).
struct HazardSegment {
  std::int32_t from = 0;
  bool certain = false;  // h >= 1: pays on `from`
  double rate = 0;
  double length = 0;
  double cumulative_before = 0;
};

// A factor over days [begin, end] while building hazard segments; `kind`
// groups windows that count once (an action kind, a dispute, a promise).
struct EffectWindow {
  std::int32_t begin = 0, end = 0;
  double factor = 1;
  std::uint32_t kind = 0;
  bool applies_when_placed = false;  // dispute and promise factors do, action effects do not
};

// What BuildInvoiceSegments reads from one model, found once per model
// instead of once per segment: each action kind's effect, and each daily
// hazard's rate -log(1 - h) (NaN until first needed; the same double the
// segment loop would compute).
struct ModelTables {
  const runtime::PaymentModel* model = nullptr;
  std::array<bool, compiler::kActionKindCount> effect_found{};
  std::array<const runtime::ActionEffect*, compiler::kActionKindCount> effect{};
  std::vector<double> segment_rates;  // model->segments[s].daily[i] at s * intervals + i
  std::vector<double> agency_rates;   // model->agency_hazard[i]
  // Makes the tables `model`'s (emptied when it was another's).
  void Use(const runtime::PaymentModel& model);
  // The effect of action `kind`, or nullptr.
  const runtime::ActionEffect* Effect(compiler::ActionKind kind);
};

// Buffers reused by ReadRun and EnsureSegments.
struct RunScratch {
  ModelTables tables;
  std::vector<std::uint32_t> cursor;
  std::vector<DatedAction> actions;
  std::vector<OwedChange> owed;
  std::vector<FactWindow> windows;
  std::vector<EffectWindow> effects;
  std::vector<std::int32_t> cuts;
  std::vector<std::uint8_t> agency_seen;
  // Each agency action's contingency as a factor, divided once per policy.
  const compiler::PolicyIr* contingency_policy = nullptr;
  std::vector<std::pair<const compiler::Action*, runtime::Decimal>> contingencies;
};

// What the event loop reads from one engine run of a subject, grouped by
// invoice (invoice j's items are [begin[j], begin[j + 1])), and the run's
// outcome. The hazard segments are built for one model at a time.
struct RunRecord {
  std::vector<SampledFact> key;
  std::uint64_t hash = 0;
  bool failed = false;  // the engine stopped with an error (in the outcome)
  std::vector<std::int32_t> placed, written_off;  // per invoice, kNever: none
  std::vector<std::uint8_t> covered;              // per invoice
  std::vector<DatedAction> actions;  // by invoice, in trace order
  std::vector<std::uint32_t> action_begin;
  // The days of the calls among `actions`, grouped the same way.
  std::vector<std::int32_t> call_days;
  std::vector<std::uint32_t> call_begin;
  std::vector<FiredAction> fired;    // every action, in trace order
  // Per invoice: the contingency of the first agency action covering it,
  // as a factor (none: no agency action, or its action unknown), and the
  // principal its payments paid.
  std::vector<std::optional<runtime::Decimal>> contingency;
  std::vector<std::int64_t> principal_paid;
  std::vector<OwedChange> owed;
  std::vector<std::uint32_t> owed_begin;
  std::vector<FactWindow> windows;
  std::vector<std::uint32_t> window_begin;
  const runtime::PaymentModel* segments_model = nullptr;
  const runtime::SegmentHazards* segments_hazards = nullptr;
  std::vector<HazardSegment> segments;
  // Invoice j's segments, [first, second); second kNotBuilt until built.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> segment_range;
  SubjectOutcome outcome;
};

// One subject's facts, its invoices' due and issue days, and the horizon:
// what turns a run into hazard segments.
struct SubjectFrame {
  const compiler::abi::SubjectView* view = nullptr;
  runtime::Date horizon;
};

// Reads `trace` (a run of `policy` over `view`, the subject's facts plus
// `record.key`) into `record`.
void ReadRun(const compiler::PolicyIr& policy, const compiler::abi::SubjectView& view,
             const compiler::abi::Trace& trace, RunRecord& record, RunScratch& scratch);

// Whether the run that adds a settling first payment to a run of a
// one-invoice subject can be derived from that run (DeriveSettledOutcome)
// instead of made: the policy charges no interest and no stop rule has
// actions, so once the payment settles the invoice nothing more happens
// and the days before it are the earlier run's (docs/model.md, "What a
// draw costs").
bool SettlementDerivable(const compiler::PolicyIr& policy);

// The outcome of the run of `record`'s facts plus a payment on `day` of
// `paid` (what invoice 0 owes that day, settling it): `record`'s actions
// and payment (at most one, a partial payment) before `day`, the
// payment, nothing after. False (outcome untouched) when `record` is not
// a run this applies to (see SettlementDerivable): more than one invoice,
// more than one earlier payment, interest, an error. The caller vouches
// that the earlier payment is before `day` and that `paid` is what the
// invoice owes then; when either is not so, true with `outcome` an error
// (an internal error, not a wrong outcome).
bool DeriveSettledOutcome(const RunRecord& record, std::int32_t day, std::int64_t paid, runtime::CurrencyId currency,
                          SubjectOutcome& outcome);

inline constexpr std::uint32_t kNotBuilt = 0xFFFFFFFFu;

// Builds invoice j's hazard segments in `record` for `model` and the
// subject's `hazards`, unless they were built for them already.
void EnsureSegments(const SubjectFrame& frame, const runtime::PaymentModel& model,
                    const runtime::SegmentHazards& hazards, RunRecord& record, std::size_t j, RunScratch& scratch);

// The first day on which invoice j's cumulative hazard reaches `clock`, or
// kNever (its segments built).
std::int32_t FirstPaymentDay(const RunRecord& record, std::size_t j, double clock);

// What invoice j (of `amount`) owes when a payment arrives on `day`.
std::int64_t OwedAt(const RunRecord& record, std::size_t j, std::int64_t amount, std::int32_t day);

// The runs of one subject already made, found by their sampled facts.
// Records are reused from subject to subject (their buffers kept).
class RunMemo {
 public:
  // Forgets every run (at a new subject, or when full).
  void Clear();
  bool full() const { return used_ >= kMaxRuns; }
  // The run of `key`, or nullptr.
  RunRecord* Find(const std::vector<SampledFact>& key, std::uint64_t hash);
  // A new record for `key` (not full()).
  RunRecord& Add(const std::vector<SampledFact>& key, std::uint64_t hash);
  static std::uint64_t Hash(const std::vector<SampledFact>& key);

 private:
  static constexpr std::size_t kMaxRuns = 4096;
  struct Slot {
    std::uint32_t generation = 0;
    std::uint32_t record = 0;
  };
  void Insert(std::uint64_t hash, std::uint32_t record);
  std::vector<std::unique_ptr<RunRecord>> records_;
  std::size_t used_ = 0;
  std::vector<Slot> table_ = std::vector<Slot>(256);
  std::uint32_t generation_ = 1;
};

// Simulates draws of subjects under one policy, reusing everything from
// draw to draw and subject to subject. One per thread.
class SubjectSimulator {
 public:
  // `reuse_runs` false runs the engine for every run a draw needs (the
  // straightforward method, for tests); true answers a run already made
  // for the same subject and the same sampled facts from the memo.
  SubjectSimulator(const runtime::Ledger& ledger, const compiler::PolicyIr& policy,
                   const compiler::PolicyEngine& engine, const SubjectPlan& plan, std::int32_t horizon_days,
                   bool reuse_runs);

  void BeginSubject(std::size_t subject);
  // Draw `draw` of the current subject under `model` into `outcome`.
  void SimulateDraw(const runtime::PaymentModel& model, std::uint64_t seed, std::uint32_t draw,
                    SubjectOutcome& outcome);

  std::uint64_t engine_runs() const { return engine_runs_; }
  std::uint64_t reused_runs() const { return reused_runs_; }
  std::uint64_t derived_runs() const { return derived_runs_; }

 private:
  struct InvoiceClock {
    double clock = 0;      // exponential: the first payment comes when the cumulative hazard reaches it
    bool partial = false;  // the first payment leaves a remainder
    // The first payment's day in the current run (FirstPaymentDay), when
    // `first_day_known`: it changes only when the subject runs again.
    bool first_day_known = false;
    std::int32_t first_day = kNever;
    enum class Stage : std::uint8_t { First, Remainder, Done } stage = Stage::First;
    std::int32_t remainder_day = kNever;
    std::uint32_t calls_decided = 0;
    runtime::RandomStream promises{0, 0};  // made at the first call decision
  };

  RunRecord& Fetch();
  void ClearMemo();
  // The current subject's stream prefixes for `seed` (RandomStream::Prefix).
  void MixStreamPrefixes(std::uint64_t seed);
  bool TopUp(const RunRecord& record);
  bool NextEvent(RunRecord& record, const runtime::PaymentModel& model, const runtime::SegmentHazards& hazards);
  std::int32_t NextCall(const RunRecord& record, std::size_t j) const;

  const runtime::Ledger& ledger_;
  const compiler::PolicyIr& policy_;
  const compiler::PolicyEngine& engine_;
  const SubjectPlan& plan_;
  std::int32_t horizon_days_;
  bool reuse_runs_;
  bool settlement_derivable_;  // SettlementDerivable(policy) and reuse_runs

  // The current subject.
  std::size_t subject_ = 0;
  compiler::abi::SubjectView base_view_;
  SubjectFrame frame_;
  const std::uint32_t* order_ = nullptr;
  std::string_view segment_name_;
  const runtime::PaymentModel* hazards_model_ = nullptr;  // the model hazards_ was found in
  const runtime::SegmentHazards* hazards_ = nullptr;
  bool derive_settlement_ = false;  // settlement_derivable_ and one invoice
  // Per invoice, what its payment-clock and promise streams share across
  // draws (RandomStream::Prefix), mixed once per subject for `prefix_seed_`.
  std::vector<std::uint64_t> clock_prefix_, promise_prefix_;
  std::optional<std::uint64_t> prefix_seed_;
  RunRecord* root_ = nullptr;  // the run without sampled facts, once made (in memo_)

  // The current draw.
  std::vector<InvoiceClock> clocks_;
  std::vector<SampledFact> key_;
  std::vector<std::pair<std::size_t, std::int32_t>> pending_top_up_;
  bool done_ = false;
  std::uint32_t draw_ = 0;
  SubjectOutcome* draw_outcome_ = nullptr;  // where the draw's outcome goes
  bool derived_ = false;  // NextEvent derived the draw's last run into *draw_outcome_

  // Reused buffers.
  ReplayWorkspace workspace_;  // the subject's view, the engine's workspace, the trace, outcome scratch
  compiler::abi::SubjectView run_view_;
  std::vector<compiler::abi::PaymentView> payments_;
  std::vector<compiler::abi::PromiseView> promises_;
  std::vector<compiler::abi::DisputeView> disputes_;
  RunScratch scratch_;
  RunMemo memo_;
  std::uint64_t engine_runs_ = 0, reused_runs_ = 0, derived_runs_ = 0;
};

}  // namespace recoup::simulation::monte_carlo_detail
