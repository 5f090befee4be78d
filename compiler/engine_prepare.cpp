// Setting up a run: the policy's tables (built once), the workspace
// (reused per thread), and the covered invoices of one subject
// (docs/semantics.md section 13) with their accounts.
#include <algorithm>
#include <cstring>
#include <string_view>

#include "compiler/engine_internal.h"

namespace recoup::compiler {

using namespace abi;

std::shared_ptr<const RunPolicy> MakeRunPolicy(const PolicyIr& policy) {
  auto data = std::make_shared<RunPolicy>();
  data->ir = &policy;
  data->calendar = policy.header.calendar.ToBusinessCalendar();
  for (std::size_t k = 0; k < kActionKindCount; ++k) data->costs[k] = policy.header.costs[k].minor;
  data->currency = policy.header.currency;
  data->customer = policy.header.subject == SubjectKind::Customer;
  data->applies_to = CompileTest(policy, policy.header.applies_to);
  for (const Anchor& anchor : policy.anchors) {
    AnchorPlan plan;
    plan.base = anchor.base;
    plan.step = anchor.step;
    plan.inner = anchor.inner;
    for (const Offset& offset : anchor.offsets) {
      if (offset.duration.unit == DurationUnit::BusinessDays) plan.calendar_only = false;
      plan.calendar_days += offset.duration.count;
    }
    data->anchors.push_back(plan);
  }
  auto uses_promise = [&](AnchorId id) {
    while (id != kNoId) {
      const Anchor& anchor = policy.anchor(id);
      if (anchor.base == AnchorBase::Promise) return true;
      id = anchor.base == AnchorBase::EndOfMonth ? anchor.inner : kNoId;
    }
    return false;
  };
  for (const Stop& stop : policy.stops) {
    bool paid_actions = stop.when_paid && !stop.actions.empty();
    data->has_paid_stop_actions |= paid_actions;
    data->stops_matter |= paid_actions || (!stop.when_paid && stop.condition != kNoId);
  }
  data->step_has_dependents.assign(policy.steps.size(), 0);
  auto mark = [&](AnchorId id) {
    while (id != kNoId) {
      const Anchor& anchor = policy.anchor(id);
      if (anchor.base == AnchorBase::Step) data->step_has_dependents[anchor.step] = 1;
      id = anchor.base == AnchorBase::EndOfMonth ? anchor.inner : kNoId;
    }
  };
  for (const Step& step : policy.steps) {
    mark(step.trigger.anchor);
    if (step.trigger.until == UntilKind::Anchor) mark(step.trigger.until_anchor);
  }
  for (const Step& step : policy.steps) {
    data->step_anchor_fixed.push_back(!data->customer && !uses_promise(step.trigger.anchor));
  }
  for (StepId id = 0; id < policy.steps.size(); ++id) {
    const Trigger& trigger = policy.steps[id].trigger;
    const AnchorPlan& anchor = data->anchors[trigger.anchor];
    if (!data->step_anchor_fixed[id] || !anchor.calendar_only) continue;
    if (anchor.base != AnchorBase::Due && anchor.base != AnchorBase::Issue) continue;
    data->plain_steps.push_back({id, anchor.base == AnchorBase::Due, trigger.kind == TriggerKind::At, anchor.calendar_days});
  }
  return data;
}

const PolicyIr& PolicyOf(const RunPolicy& policy) { return *policy.ir; }

EngineWorkspace::EngineWorkspace() : impl_(std::make_unique<Impl>()) {}
EngineWorkspace::~EngineWorkspace() = default;

namespace {

std::string_view NameOf(const SubjectView& subject, std::int32_t name) {
  if (name == kNoIndex) return {};
  const TextRef& text = subject.names[name];
  return std::string_view(text.data, text.size);
}

// Covered invoices by due date, then issue date, then id (section 12).
bool Before(const SubjectView& subject, std::int32_t a, std::int32_t b) {
  const InvoiceView& x = subject.invoices[a];
  const InvoiceView& y = subject.invoices[b];
  if (x.due != y.due) return x.due < y.due;
  if (x.issue != y.issue) return x.issue < y.issue;
  return NameOf(subject, x.name) < NameOf(subject, y.name);
}

// Section 13: an invoice is covered when it is in the policy's currency and
// `applies to` (evaluated on its issue date, seeing only itself) is true.
bool Covers(RunState* run, std::int32_t index) {
  const SubjectView& subject = *run->subject;
  const InvoiceView& invoice = subject.invoices[index];
  Trace& trace = *run->trace;
  if (invoice.currency != run->policy->currency) {
    trace.not_covered.push_back({index, NotCoveredKind::Currency, 0, 0});
    return false;
  }
  ExpressionId applies_to = run->policy->ir->header.applies_to;
  if (applies_to == kNoId) return true;
  GuardContext context;
  context.day = invoice.issue;
  context.invoice = index;
  context.invoice_balance = invoice.amount;
  context.invoice_principal = invoice.amount;
  context.late_payments = subject.prior_late_payments;
  std::uint32_t first_read = static_cast<std::uint32_t>(trace.reads.size());
  const TestPlan& compiled = run->policy->applies_to;
  if (!run->explain && !compiled.nodes.empty()) {  // nothing to record, nothing that can fail
    if (EvaluateCompiledTest(run, compiled, context)) return true;
    trace.not_covered.push_back({index, NotCoveredKind::AppliesToFalse, first_read, 0});
    return false;
  }
  EvaluationOutcome applies = EvaluateExpression(run, applies_to, context);
  if (!applies.ok) return false;
  if (applies.value.number == 0) {
    trace.not_covered.push_back(
        {index, NotCoveredKind::AppliesToFalse, first_read, static_cast<std::uint32_t>(trace.reads.size()) - first_read});
    return false;
  }
  trace.reads.resize(first_read);
  return true;
}

}  // namespace

RunState* EngineWorkspace::PrepareRun(const RunPolicy& policy, const SubjectView& subject, const EngineOptions& options,
                                      Trace& trace) {
  Impl& impl = *impl_;
  trace.Clear();
  trace.horizon = options.horizon.days();
  RunState& run = impl.run;
  run = RunState{};
  run.policy = &policy;
  run.subject = &subject;
  run.trace = &trace;
  run.accounts = &impl.accounts;
  std::size_t step_count = policy.ir->steps.size();
  impl.steps.assign(step_count, StepState{});
  run.steps = impl.steps.data();
  run.step_count = static_cast<std::uint32_t>(step_count);
  run.horizon = options.horizon.days();
  run.explain = options.explain ? 1 : 0;
  run.customer = policy.customer ? 1 : 0;
  run.probes = options.probes;
  run.probe_count = options.probe_count;

  RunAccounts& accounts = impl.accounts;
  accounts.count = 0;
  accounts.service_suspended = false;
  accounts.credit_held = false;
  std::vector<std::int32_t>& covered = accounts.scratch;
  covered.clear();
  for (std::uint32_t i = 0; i < subject.invoice_count; ++i) {
    if (Covers(&run, static_cast<std::int32_t>(i))) covered.push_back(static_cast<std::int32_t>(i));
    if (run.failed) break;
  }
  if (run.failed) {
    trace.start = run.horizon;
    return nullptr;
  }
  // Insertion sort: subjects hold few invoices, and it allocates nothing.
  for (std::size_t i = 1; i < covered.size(); ++i) {
    std::int32_t moving = covered[i];
    std::size_t j = i;
    while (j > 0 && Before(subject, moving, covered[j - 1])) {
      covered[j] = covered[j - 1];
      --j;
    }
    covered[j] = moving;
  }
  if (!run.customer && covered.size() > 1) {
    Fail(&run, ErrorCode::SeveralInvoices);
    trace.start = run.horizon;
    return nullptr;
  }
  if (accounts.storage.size() < covered.size()) accounts.storage.resize(covered.size());
  for (std::size_t k = 0; k < covered.size(); ++k) accounts.storage[k].Open(subject, covered[k]);
  accounts.count = static_cast<std::uint32_t>(covered.size());
  // The first promise to pay, by the day it was made (section 3).
  accounts.promise_made.resize(subject.promise_count);
  for (std::uint32_t p = 0; p < subject.promise_count; ++p) {
    const PromiseView& promise = subject.promises[p];
    std::int32_t made = promise.made;
    if (made == kNoDate) {
      Account* account = promise.name == kNoIndex ? (accounts.count == 0 ? nullptr : &accounts[0])
                                                  : FindAccountByName(&run, promise.name);
      made = account != nullptr ? account->due : promise.promised;
    }
    accounts.promise_made[p] = made;
    if (run.promise_made == kNoDate || made < run.promise_made ||
        (made == run.promise_made && promise.promised < run.promise_date)) {
      run.promise_made = made;
      run.promise_date = promise.promised;
    }
  }
  if (accounts.count == 0) {
    trace.start = run.horizon;
    return nullptr;
  }
  std::int32_t start = accounts[0].issue;
  for (const Account& account : accounts) start = std::min(start, account.issue);
  run.start = start;
  trace.start = start;
  return &run;
}

}  // namespace recoup::compiler
