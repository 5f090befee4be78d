// The few trace operations the generated driver needs beyond the engine's
// services (the interpreter engine's driver does them on the Trace's
// vectors directly, which generated code never touches).
#include <algorithm>
#include <cstdint>
#include <limits>

#include "compiler/engine_abi.h"
#include "compiler/engine_internal.h"
#include "compiler/jit/expression_abi.h"
#include "compiler/jit/runtime_helpers.h"
#include "runtime/currency.h"

using recoup::compiler::abi::RunState;

extern "C" {

// Forgets the guard reads recorded since `mark` (a stop condition that did not hold).
void recoup_jit_drop_reads(RunState* run, std::uint32_t mark) {
  if (run->trace->reads.size() > mark) run->trace->reads.resize(mark);
}

// How many not-fired records the trace holds.
std::uint32_t recoup_jit_not_fired_mark(const RunState* run) {
  return static_cast<std::uint32_t>(run->trace->not_fired.size());
}

// Marks the not-fired records from `first` on as decided when the run ended.
void recoup_jit_mark_decided_at_end(RunState* run, std::uint32_t first) {
  for (std::size_t i = first; i < run->trace->not_fired.size(); ++i) run->trace->not_fired[i].decided_at_end = 1;
}

// The last not-fired record waited for step `step`.
void recoup_jit_set_related_step(RunState* run, std::uint32_t step) {
  if (!run->trace->not_fired.empty()) run->trace->not_fired.back().related_step = step;
}

}  // extern "C"

namespace {

// Fills `inputs` from the guard context of `account` (the anchor account on
// `day`, null when none); 1 when working out the context failed the run.
std::int32_t FillExpressionInputs(RunState* run, std::int32_t day, recoup::compiler::abi::Account* account,
                                  RecoupExpressionInputs* inputs, RecoupAttributeValue* attributes) {
  using namespace recoup::compiler::abi;
  GuardContext context = ContextOn(run, day, account);
  if (run->failed) return 1;
  const SubjectView& subject = *run->subject;
  const InvoiceView* invoice = context.invoice == kNoIndex ? nullptr : &subject.invoices[context.invoice];
  auto text = [](TextRef ref) { return RecoupText{ref.data, static_cast<std::int64_t>(ref.size)}; };
  inputs->today = day;
  inputs->has_invoice = invoice != nullptr;
  inputs->invoice_issue = invoice ? invoice->issue : 0;
  inputs->invoice_due = invoice ? invoice->due : 0;
  inputs->invoice_amount = invoice ? invoice->amount : 0;
  inputs->invoice_balance = context.invoice_balance;
  inputs->invoice_principal = context.invoice_principal;
  inputs->open_balance = context.open_balance;
  inputs->open_invoices = context.open_invoices;
  inputs->late_payments = context.late_payments;
  inputs->invoice_id = invoice ? text(subject.names[invoice->name]) : RecoupText{nullptr, 0};
  if (invoice) {
    std::string_view code = recoup::runtime::InfoOf(invoice->currency).code;
    inputs->invoice_currency = {code.data(), static_cast<std::int64_t>(code.size())};
  } else {
    inputs->invoice_currency = {nullptr, 0};
  }
  inputs->customer_id = text(subject.customer_id);
  inputs->customer_segment = text(subject.segment);
  inputs->customer_country = text(subject.country);
  inputs->fired_counts = &run->steps[0].fired;
  inputs->fired_stride = sizeof(StepState);
  inputs->calendar = &run->policy->calendar;
  inputs->attributes = attributes;
  const recoup::compiler::PolicyIr& ir = *run->policy->ir;
  for (std::uint32_t id = 0; id < subject.attribute_count; ++id) {
    const AttributeSlot* slot = nullptr;
    if (ir.attributes[id].object == recoup::compiler::AttributeObject::Customer) {
      slot = &subject.customer_attributes[id];
    } else if (invoice != nullptr) {
      slot = &subject.invoice_attributes[static_cast<std::size_t>(context.invoice) * subject.attribute_count + id];
    }
    RecoupAttributeValue& value = attributes[id];
    value.status = slot != nullptr && slot->state == SlotState::Ok ? 0 : 1;
    if (value.status != 0) continue;
    bool duration = slot->value.type == static_cast<std::uint8_t>(recoup::compiler::Type::Duration);
    value.scale = duration ? slot->value.unit : slot->value.scale;
    value.number = slot->value.number;
    value.text = text(slot->value.text);
  }
  return 0;
}

}  // namespace

extern "C" {

// What a compiled guard reads on `day`, as the engine's recoup_evaluate
// sees it: the guard context of the anchor account, known to the driver
// (`account`, an index into the run's accounts as
// recoup_jit_anchor_account gives it for `day` and what is owed now;
// kNoIndex when none is open), so the accounts are not searched again;
// `attributes` has room for every attribute of the policy. Returns 1, with
// nothing filled in, when working out the context failed the run (the
// caller then lets recoup_evaluate report it), else 0.
std::int32_t recoup_jit_expression_inputs_of(RunState* run, std::int32_t day, std::int32_t account,
                                             RecoupExpressionInputs* inputs, RecoupAttributeValue* attributes) {
  recoup::compiler::abi::Account* anchor =
      account == recoup::compiler::abi::kNoIndex ? nullptr : &(*run->accounts)[static_cast<std::uint32_t>(account)];
  return FillExpressionInputs(run, day, anchor, inputs, attributes);
}

// The account the due and issue anchors read on `day`, as
// recoup_anchor_invoice: an index into the run's accounts (kNoIndex when
// none is open), its invoice in `*invoice` (kNoIndex when none). With
// `skip` (a customer subject, under a policy with no fee or interest
// action, so that nothing ever adds to what an invoice owes): the accounts
// before `*skip` are issued and closed for good (settled or written off)
// and are not looked at again, and `*skip` moves past the leading ones
// found so. Exact for any day: without interest what is owed does not
// depend on the day, and a closed issued invoice is closed on every day.
std::int32_t recoup_jit_anchor_account(RunState* run, std::int32_t day, std::uint32_t* skip, std::int32_t* invoice) {
  using namespace recoup::compiler::abi;
  RunAccounts& accounts = *run->accounts;
  if (!run->customer) {
    *invoice = accounts[0].invoice;
    return 0;
  }
  bool leading = skip != nullptr;
  for (std::uint32_t a = skip != nullptr ? *skip : 0; a < accounts.count; ++a) {
    const Account& account = accounts[a];
    if (IsOpen(run, account, day)) {
      *invoice = account.invoice;
      return static_cast<std::int32_t>(a);
    }
    if (leading && account.issue <= day) {
      *skip = a + 1;
    } else {
      leading = false;
    }
  }
  *invoice = kNoIndex;
  return kNoIndex;
}

// The run's fact days (every day recoup_next_fact_day can answer, listed
// as the interpreter driver lists them: FactDays::Build), in order, one
// entry per day with what falls on it; `*count` of them, in a list the
// run's accounts keep. The facts of a run never change, so the next fact
// day after any day is the first of these after it. Payments dated before
// the start are applied on it (section 1) but listed on their own dates:
// the generated driver finds them through its payment cursor.
const recoup::compiler::FactDays::Entry* recoup_jit_fact_days(RunState* run, std::int32_t* count) {
  recoup::compiler::FactDays& facts = run->accounts->fact_days;
  facts.Build(*run);
  *count = static_cast<std::int32_t>(facts.count);
  return facts.storage.data();
}

// 1 when the subject's payments are in date order (the replay's are), so
// the generated driver can keep a cursor into them.
std::uint8_t recoup_jit_payments_by_date(const RunState* run) {
  const recoup::compiler::abi::SubjectView& subject = *run->subject;
  for (std::uint32_t p = 1; p < subject.payment_count; ++p) {
    if (subject.payments[p].date < subject.payments[p - 1].date) return 0;
  }
  return 1;
}

// The day an invoice subject's only account was settled (kNoDate: open).
std::int32_t recoup_jit_first_settled_on(const RunState* run) {
  return run->accounts->count == 0 ? recoup::compiler::abi::kNoDate : (*run->accounts)[0].settled_on;
}

// Whether an invoice subject's settled account is open again on `day` (a
// `stop when paid` fee); 0 for a customer or an invoice never settled.
std::uint8_t recoup_jit_first_owes(const RunState* run, std::int32_t day) {
  if (run->customer || run->accounts->count == 0 || (*run->accounts)[0].settled_on == recoup::compiler::abi::kNoDate) {
    return 0;
  }
  RunState* mutable_run = const_cast<RunState*>(run);
  return recoup::compiler::abi::IsOpen(mutable_run, (*mutable_run->accounts)[0], day) ? 1 : 0;
}

}  // extern "C"
