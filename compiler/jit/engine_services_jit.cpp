// The few trace operations the generated driver needs beyond the engine's
// services (the interpreter engine's driver does them on the Trace's
// vectors directly, which generated code never touches).
#include <cstdint>

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

// What a compiled guard reads on `day`, as the engine's recoup_evaluate
// sees it (the guard context of the anchor invoice); `attributes` has room
// for every attribute of the policy. Returns 1, with nothing filled in,
// when working out the context failed the run (the caller then lets
// recoup_evaluate report it), else 0.
std::int32_t recoup_jit_expression_inputs(RunState* run, std::int32_t day, RecoupExpressionInputs* inputs,
                                          RecoupAttributeValue* attributes) {
  using namespace recoup::compiler::abi;
  GuardContext context = ContextOn(run, day, AnchorAccount(run, day));
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
