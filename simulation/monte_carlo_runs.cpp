// What the Monte Carlo simulation reads from an engine run: each invoice's
// actions, placement, write-off and what it owes from day to day, read
// once from the typed trace; the piecewise-constant hazard built from them;
// and the memo of a subject's runs keyed by the facts the draws sampled.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>

#include "simulation/monte_carlo_internal.h"

namespace recoup::simulation::monte_carlo_detail {
namespace {

namespace abi = compiler::abi;

// Sorts `items` by invoice (stably) and fills `begin` (invoices + 1 entries).
template <typename Item>
void GroupByInvoice(std::vector<Item>& items, std::size_t invoices, std::vector<std::uint32_t>& begin,
                    std::vector<std::uint32_t>& cursor, std::vector<Item>& sorted) {
  if (invoices == 1) {  // every item is invoice 0's, in order already
    begin.assign({0, static_cast<std::uint32_t>(items.size())});
    return;
  }
  begin.assign(invoices + 1, 0);
  for (const Item& item : items) begin[static_cast<std::size_t>(item.invoice) + 1] += 1;
  for (std::size_t j = 0; j < invoices; ++j) begin[j + 1] += begin[j];
  cursor.assign(begin.begin(), begin.end() - 1);
  sorted.resize(items.size());
  for (const Item& item : items) sorted[cursor[static_cast<std::size_t>(item.invoice)]++] = item;
  items.swap(sorted);
}

int IntervalIn(const std::vector<std::int32_t>& starts, std::int32_t value) {
  int interval = 0;
  while (interval + 1 < static_cast<int>(starts.size()) && value >= starts[interval + 1]) ++interval;
  return interval;
}

// The policy's action behind action `k` of `firing` (nullptr: none).
const compiler::Action* PolicyAction(const compiler::PolicyIr& policy, const abi::FiringTrace& firing, std::size_t k) {
  const std::vector<compiler::Action>& actions = firing.cause == abi::CauseKind::Step
                                                     ? policy.steps.at(firing.index).actions
                                                     : policy.stops.at(firing.index).actions;
  return k < actions.size() ? &actions[k] : nullptr;
}

// An agency action's contingency as a factor (its percent / 100).
runtime::Decimal Contingency(const compiler::PolicyIr& policy, const compiler::Action& action, RunScratch& scratch) {
  if (scratch.contingency_policy != &policy) {
    scratch.contingency_policy = &policy;
    scratch.contingencies.clear();
  }
  for (const auto& [known, factor] : scratch.contingencies) {
    if (known == &action) return factor;
  }
  const runtime::Decimal factor = runtime::Divide(action.percent, runtime::Decimal{100, 0}).value;
  scratch.contingencies.emplace_back(&action, factor);
  return factor;
}

bool IsTouch(compiler::ActionKind kind) {
  return kind == compiler::ActionKind::Email || kind == compiler::ActionKind::Sms ||
         kind == compiler::ActionKind::Letter || kind == compiler::ActionKind::Call ||
         kind == compiler::ActionKind::Notice;
}

constexpr std::uint32_t kDisputeKind = compiler::kActionKindCount;
constexpr std::uint32_t kPromiseKind = compiler::kActionKindCount + 1;
static_assert(compiler::kActionKindCount + 2 <= 64);

// Invoice j's segments appended to record.segments (see FirstPaymentDay).
void BuildInvoiceSegments(const SubjectFrame& frame, const runtime::PaymentModel& model,
                          const runtime::SegmentHazards& hazards, RunRecord& record, std::size_t j,
                          RunScratch& scratch) {
  const abi::InvoiceView& invoice = frame.view->invoices[j];
  const std::int32_t first = invoice.issue + 1;
  const std::int32_t last = std::min(frame.horizon.days(), record.written_off[j]);
  if (last < first) return;
  const std::int32_t placed = record.placed[j];
  std::vector<EffectWindow>& windows = scratch.effects;
  std::vector<std::int32_t>& cuts = scratch.cuts;
  windows.clear();
  ModelTables& tables = scratch.tables;
  tables.Use(model);
  // The daily hazards' rates are kept per model when `hazards` is one of its segments.
  const runtime::SegmentHazards* model_segments = model.segments.data();
  const bool of_model = std::less_equal<>{}(model_segments, &hazards) &&
                        std::less<>{}(&hazards, model_segments + model.segments.size());
  const std::size_t intervals = model.interval_starts.size();
  double* base_rates = of_model && hazards.daily.size() == intervals
                           ? tables.segment_rates.data() + static_cast<std::size_t>(&hazards - model_segments) * intervals
                           : nullptr;
  for (std::uint32_t a = record.action_begin[j]; a < record.action_begin[j + 1]; ++a) {
    const DatedAction& action = record.actions[a];
    if (action.kind == compiler::ActionKind::Agency) continue;
    if (const runtime::ActionEffect* effect = tables.Effect(action.kind)) {
      windows.push_back({action.day + 1, action.day + effect->window_days, effect->factor.value,
                         static_cast<std::uint32_t>(action.kind), false});
    }
  }
  for (std::uint32_t w = record.window_begin[j]; w < record.window_begin[j + 1]; ++w) {
    const FactWindow& fact = record.windows[w];
    windows.push_back({fact.begin, fact.end, fact.promise ? model.promise_factor.value : model.dispute_factor.value,
                       fact.promise ? kPromiseKind : kDisputeKind, true});
  }
  cuts.clear();
  cuts.push_back(first);
  cuts.push_back(last + 1);
  for (std::size_t k = 1; k < model.interval_starts.size(); ++k) cuts.push_back(invoice.due + model.interval_starts[k]);
  if (placed != kNever) {
    cuts.push_back(placed + 1);
    for (std::size_t k = 1; k < model.agency_interval_starts.size(); ++k) {
      cuts.push_back(placed + model.agency_interval_starts[k]);
    }
  }
  for (const EffectWindow& window : windows) {
    cuts.push_back(window.begin);
    if (window.end < kNever - 1) cuts.push_back(window.end + 1);
  }
  std::sort(cuts.begin(), cuts.end());
  cuts.erase(std::unique(cuts.begin(), cuts.end()), cuts.end());
  double cumulative = 0;
  for (std::size_t c = 0; c + 1 < cuts.size(); ++c) {
    const std::int32_t from = cuts[c], to = cuts[c + 1] - 1;
    if (to < first || from > last) continue;
    const bool after_placement = placed != kNever && from > placed;
    const int interval = after_placement ? IntervalIn(model.agency_interval_starts, from - placed)
                                         : IntervalIn(model.interval_starts, from - invoice.due);
    double hazard = after_placement ? model.agency_hazard[interval].value : hazards.daily[interval].value;
    // Each kind of effect counts once, however many of its windows overlap
    // (docs/model.md, as in the fit's exposure cells).
    std::uint64_t applied = 0;
    for (const EffectWindow& window : windows) {
      if (from < window.begin || from > window.end || (after_placement && !window.applies_when_placed)) continue;
      if (applied & (std::uint64_t{1} << window.kind)) continue;
      applied |= std::uint64_t{1} << window.kind;
      hazard *= window.factor;
    }
    if (hazard <= 0) continue;
    if (hazard >= 1) {
      record.segments.push_back({from, true, 0, 0, cumulative});
      return;
    }
    double rate = 0;
    double* known = nullptr;  // where the unmultiplied hazard's rate is kept
    if (applied == 0) {
      known = after_placement ? (static_cast<std::size_t>(interval) < tables.agency_rates.size()
                                     ? &tables.agency_rates[interval]
                                     : nullptr)
                              : (base_rates != nullptr ? base_rates + interval : nullptr);
    }
    if (known != nullptr && !std::isnan(*known)) {
      rate = *known;
    } else {
      rate = -std::log1p(-hazard);
      if (known != nullptr) *known = rate;
    }
    const double length = static_cast<double>(to - from + 1);
    record.segments.push_back({from, false, rate, length, cumulative});
    cumulative += rate * length;
  }
}

}  // namespace

void ReadRun(const compiler::PolicyIr& policy, const abi::SubjectView& view, const abi::Trace& trace,
             RunRecord& record, RunScratch& scratch) {
  const std::size_t invoices = view.invoice_count;
  record.failed = trace.error.code != abi::ErrorCode::None;
  record.placed.assign(invoices, kNever);
  record.written_off.assign(invoices, kNever);
  record.covered.assign(invoices, 1);
  record.actions.clear();
  record.fired.clear();
  record.contingency.assign(invoices, std::nullopt);
  record.principal_paid.assign(invoices, 0);
  std::vector<std::uint8_t>& agency_seen = scratch.agency_seen;
  agency_seen.assign(invoices, 0);
  record.owed.clear();
  record.windows.clear();
  record.segments_model = nullptr;
  record.segments_hazards = nullptr;
  for (const abi::FiringTrace& firing : trace.firings) {
    for (std::uint32_t k = 0; k < firing.action_count; ++k) {
      const abi::ActionTrace& action = trace.actions[firing.first_action + k];
      const auto kind = static_cast<compiler::ActionKind>(action.kind);
      record.fired.push_back({firing.date, kind, action.cost});
      for (std::uint32_t c = 0; c < action.invoice_count; ++c) {
        const std::int32_t j = trace.covered[action.first_invoice + c];
        record.actions.push_back({j, firing.date, kind});
        if (kind == compiler::ActionKind::Agency) {
          const auto invoice = static_cast<std::size_t>(j);
          record.placed[invoice] = std::min(record.placed[invoice], firing.date);
          // As OutcomeFromTrace: the contingency of the first agency
          // action covering the invoice, in trace order.
          if (!agency_seen[invoice]) {
            agency_seen[invoice] = 1;
            if (const compiler::Action* policy_action = PolicyAction(policy, firing, k)) {
              record.contingency[invoice] = Contingency(policy, *policy_action, scratch);
            }
          }
        }
      }
      // A fee is reported with the action that charged it, on the first
      // invoice it covers; one charged on a payment's day comes after it.
      if (kind == compiler::ActionKind::Fee && action.has_amount && action.invoice_count > 0) {
        record.owed.push_back({trace.covered[action.first_invoice], firing.date, action.amount, false});
      }
    }
  }
  for (const abi::NotCoveredTrace& left : trace.not_covered) record.covered[static_cast<std::size_t>(left.invoice)] = 0;
  // In a subject's view, invoice j is also name j.
  for (const abi::LedgerTrace& event : trace.ledger) {
    if (event.name == abi::kNoIndex || static_cast<std::size_t>(event.name) >= invoices) continue;
    switch (event.kind) {
      case abi::LedgerKind::Payment:
        record.owed.push_back({event.name, event.date, -(event.to_fees + event.to_interest + event.to_principal), true});
        record.principal_paid[static_cast<std::size_t>(event.name)] += event.to_principal;
        break;
      case abi::LedgerKind::InterestPosted: record.owed.push_back({event.name, event.date, event.amount, true}); break;
      case abi::LedgerKind::WrittenOff: {
        record.owed.push_back({event.name, event.date, -event.amount, false});
        std::int32_t& written_off = record.written_off[static_cast<std::size_t>(event.name)];
        written_off = std::min(written_off, event.date);
        break;
      }
      default: break;
    }
  }
  for (std::uint32_t d = 0; d < view.dispute_count; ++d) {
    const abi::DisputeView& dispute = view.disputes[d];
    if (dispute.name == abi::kNoIndex || static_cast<std::size_t>(dispute.name) >= invoices) continue;
    record.windows.push_back(
        {dispute.name, dispute.opened + 1, dispute.resolved == abi::kNoDate ? kNever - 1 : dispute.resolved, false});
  }
  for (std::uint32_t p = 0; p < view.promise_count; ++p) {
    const abi::PromiseView& promise = view.promises[p];
    if (promise.invoice == abi::kNoIndex) continue;
    const std::int32_t made = promise.made != abi::kNoDate ? promise.made : view.invoices[promise.invoice].due + 1;
    record.windows.push_back({promise.invoice, made, promise.promised, true});
  }
  GroupByInvoice(record.actions, invoices, record.action_begin, scratch.cursor, scratch.actions);
  record.call_days.clear();
  record.call_begin.resize(invoices + 1);
  for (std::size_t j = 0; j < invoices; ++j) {
    record.call_begin[j] = static_cast<std::uint32_t>(record.call_days.size());
    for (std::uint32_t a = record.action_begin[j]; a < record.action_begin[j + 1]; ++a) {
      if (record.actions[a].kind == compiler::ActionKind::Call) record.call_days.push_back(record.actions[a].day);
    }
  }
  record.call_begin[invoices] = static_cast<std::uint32_t>(record.call_days.size());
  GroupByInvoice(record.owed, invoices, record.owed_begin, scratch.cursor, scratch.owed);
  GroupByInvoice(record.windows, invoices, record.window_begin, scratch.cursor, scratch.windows);
}

bool SettlementDerivable(const compiler::PolicyIr& policy) {
  for (const compiler::Stop& stop : policy.stops) {
    if (!stop.actions.empty()) return false;
  }
  for (const compiler::Step& step : policy.steps) {
    for (const compiler::Action& action : step.actions) {
      if (action.kind == compiler::ActionKind::Interest) return false;
    }
  }
  return true;
}

// What OutcomeFromTrace (simulation/replay_subject.cpp) would give for the
// trace of the run with the payment: the earlier run's firings before
// `day`; on `day` the payment, applied first, settles the invoice, so no
// step or stop action fires then or after, no fee, no interest (the
// policy charges none), no write-off, no placement.
bool DeriveSettledOutcome(const RunRecord& record, std::int32_t day, std::int64_t paid, runtime::CurrencyId currency,
                          SubjectOutcome& outcome) {
  const SubjectOutcome& before = record.outcome;
  if (record.failed || before.error || before.conservation_failure || before.invoices.size() != 1 ||
      record.placed.size() != 1) {
    return false;
  }
  const InvoiceOutcome& was = before.invoices.front();
  // At most one earlier payment, all of it applied; no interest.
  const std::int64_t paid_before = was.collected;
  if (was.interest != 0 || was.applied != paid_before || before.collections.size() != (paid_before > 0 ? 1u : 0u) ||
      paid + paid_before < was.amount) {
    return false;
  }
  const runtime::Date date = runtime::Date::FromDays(day);
  // What the caller vouches for, checked: the earlier payment came before
  // `day`, and `paid` is what the invoice owes on `day` (so it settles it
  // and the fees below are what was charged). Otherwise the outcome below
  // would be wrong: an internal error instead.
  const bool earlier_before =
      before.collections.empty() || was.due.AddDays(before.collections.front().days_past_due) < date;
  const std::int64_t owed = OwedAt(record, 0, was.amount, day);
  if (!earlier_before || paid != owed) {
    outcome = SubjectOutcome{};
    outcome.customer = before.customer;
    outcome.error = fmt::format(
        "internal error: a settling payment of {} minor units on {} was derived from a run it does not follow "
        "(earlier payment before it: {}; owed that day: {}): this is a bug in Recoup",
        paid, date.ToIso(), earlier_before ? "yes" : "no", owed);
    return true;
  }
  outcome.customer = before.customer;
  outcome.invoices.assign(1, was);
  if (!before.not_covered.empty() || !outcome.not_covered.empty()) {
    outcome.not_covered.assign(before.not_covered.begin(), before.not_covered.end());
  }
  outcome.error.reset();
  outcome.conservation_failure.reset();
  InvoiceOutcome& invoice = outcome.invoices.front();
  // Charged before `day`: what the payments settle besides the principal.
  invoice.fees = paid + paid_before - was.amount;
  invoice.collected = paid + paid_before;
  invoice.applied = paid + paid_before;
  invoice.written_off = 0;
  invoice.open = 0;
  for (std::size_t k = 0; k < kCollectedByDays.size(); ++k) {
    invoice.collected_by[k] += date <= invoice.due.AddDays(kCollectedByDays[k]) ? paid : 0;
  }
  invoice.settled_on = date;
  invoice.written_off_on.reset();
  if (invoice.placed_on && invoice.placed_on->days() >= day) invoice.placed_on.reset();
  if (invoice.placed_on) invoice.recovered_after_placement += paid;  // placed before `day`
  invoice.contingency_fee = 0;
  if (record.placed[0] < day && record.contingency[0]) {
    const runtime::MoneyResult fee = runtime::MultiplyRounded(
        runtime::Money{invoice.recovered_after_placement, currency}, *record.contingency[0]);
    invoice.contingency_fee = fee.ok() ? fee.value.minor : 0;
  }
  // The principal left after the earlier payment was counted to the end
  // of the earlier run (its write-off or the horizon); it ends on `day`.
  const __int128 left = was.amount - record.principal_paid[0];
  const runtime::Date end = was.written_off_on ? *was.written_off_on : was.horizon;
  invoice.principal_days += left * (date - end);
  invoice.delinquent_days += left * (std::max(0, date - invoice.due) - std::max(0, end - invoice.due));
  outcome.actions = {};
  outcome.action_costs = {};
  outcome.contact_cost = 0;
  outcome.touches = 0;
  for (const FiredAction& action : record.fired) {
    if (action.day >= day) continue;
    const auto kind = static_cast<std::size_t>(action.kind);
    outcome.actions[kind] += 1;
    outcome.contact_cost += action.cost;
    outcome.action_costs[kind] += action.cost;
    outcome.touches += IsTouch(action.kind) ? 1 : 0;
  }
  outcome.collections.assign(before.collections.begin(), before.collections.end());
  outcome.collections.push_back(Collection{date - invoice.due, paid});
  return true;
}

void ModelTables::Use(const runtime::PaymentModel& used) {
  if (model == &used) return;
  model = &used;
  effect_found.fill(false);
  const double unknown = std::numeric_limits<double>::quiet_NaN();
  segment_rates.assign(used.segments.size() * used.interval_starts.size(), unknown);
  agency_rates.assign(std::min(used.agency_hazard.size(), used.agency_interval_starts.size()), unknown);
}

const runtime::ActionEffect* ModelTables::Effect(compiler::ActionKind kind) {
  const auto k = static_cast<std::size_t>(kind);
  if (!effect_found[k]) {
    effect_found[k] = true;
    effect[k] = model->FindEffect(compiler::ActionSpelling(kind));
  }
  return effect[k];
}

void EnsureSegments(const SubjectFrame& frame, const runtime::PaymentModel& model,
                    const runtime::SegmentHazards& hazards, RunRecord& record, std::size_t j, RunScratch& scratch) {
  if (record.segments_model != &model || record.segments_hazards != &hazards) {
    record.segments_model = &model;
    record.segments_hazards = &hazards;
    record.segments.clear();
    record.segment_range.assign(frame.view->invoice_count, {0, kNotBuilt});
  }
  std::pair<std::uint32_t, std::uint32_t>& range = record.segment_range[j];
  if (range.second != kNotBuilt) return;
  range.first = static_cast<std::uint32_t>(record.segments.size());
  BuildInvoiceSegments(frame, model, hazards, record, j, scratch);
  range.second = static_cast<std::uint32_t>(record.segments.size());
}

std::int32_t FirstPaymentDay(const RunRecord& record, std::size_t j, double clock) {
  for (std::uint32_t s = record.segment_range[j].first; s < record.segment_range[j].second; ++s) {
    const HazardSegment& segment = record.segments[s];
    if (segment.certain) return segment.from;
    if (segment.cumulative_before + segment.rate * segment.length >= clock) {
      const double needed = std::ceil((clock - segment.cumulative_before) / segment.rate);
      return segment.from + std::max<std::int32_t>(0, static_cast<std::int32_t>(needed) - 1);
    }
  }
  return kNever;
}

std::int64_t OwedAt(const RunRecord& record, std::size_t j, std::int64_t amount, std::int32_t day) {
  std::int64_t owed = amount;
  for (std::uint32_t k = record.owed_begin[j]; k < record.owed_begin[j + 1]; ++k) {
    const OwedChange& change = record.owed[k];
    if (change.day < day || (change.on_the_day && change.day == day)) owed += change.amount;
  }
  return owed;
}

void RunMemo::Clear() {
  used_ = 0;
  if (++generation_ == 0) {
    std::fill(table_.begin(), table_.end(), Slot{});
    generation_ = 1;
  }
}

std::uint64_t RunMemo::Hash(const std::vector<SampledFact>& key) {
  std::uint64_t hash = 0x6D656D6FULL + key.size();
  for (const SampledFact& fact : key) {
    hash = runtime::MixBits(hash ^ (static_cast<std::uint64_t>(fact.kind) << 32 | static_cast<std::uint32_t>(fact.invoice)));
    hash = runtime::MixBits(hash ^ (static_cast<std::uint64_t>(static_cast<std::uint32_t>(fact.day)) << 32 |
                                    static_cast<std::uint32_t>(fact.until)));
    hash = runtime::MixBits(hash ^ static_cast<std::uint64_t>(fact.amount));
  }
  return hash;
}

RunRecord* RunMemo::Find(const std::vector<SampledFact>& key, std::uint64_t hash) {
  const std::size_t mask = table_.size() - 1;
  for (std::size_t i = hash & mask;; i = (i + 1) & mask) {
    const Slot& slot = table_[i];
    if (slot.generation != generation_) return nullptr;
    RunRecord& record = *records_[slot.record];
    if (record.hash == hash && record.key == key) return &record;
  }
}

void RunMemo::Insert(std::uint64_t hash, std::uint32_t record) {
  const std::size_t mask = table_.size() - 1;
  std::size_t i = hash & mask;
  while (table_[i].generation == generation_) i = (i + 1) & mask;
  table_[i] = {generation_, record};
}

RunRecord& RunMemo::Add(const std::vector<SampledFact>& key, std::uint64_t hash) {
  if (used_ == records_.size()) records_.push_back(std::make_unique<RunRecord>());
  RunRecord& record = *records_[used_];
  record.key = key;
  record.hash = hash;
  if (2 * (used_ + 1) > table_.size()) {
    table_.assign(table_.size() * 2, Slot{});
    generation_ = 1;
    for (std::size_t r = 0; r < used_; ++r) Insert(records_[r]->hash, static_cast<std::uint32_t>(r));
  }
  Insert(hash, static_cast<std::uint32_t>(used_));
  ++used_;
  return record;
}

}  // namespace recoup::simulation::monte_carlo_detail
