// A SubjectView (compiler/engine_abi.h) built from SubjectFacts, for
// Interpret(), `recoup explain` and policy tests: names pooled, attributes
// parsed once to the policy's declared types. The replay builds its views
// straight from the columnar ledger instead (simulation/subjects.h).
#pragma once

#include <string_view>
#include <vector>

#include "compiler/engine_abi.h"
#include "compiler/policy_ir.h"
#include "compiler/subject_facts.h"

namespace recoup::compiler {

// Owns the arrays a SubjectView points at; the texts stay in the facts,
// which must outlive the view.
struct SubjectViewStorage {
  std::vector<abi::TextRef> names;
  std::vector<abi::InvoiceView> invoices;
  std::vector<abi::PaymentView> payments;
  std::vector<abi::DisputeView> disputes;
  std::vector<abi::PromiseView> promises;
  std::vector<abi::AttributeSlot> invoice_attributes;
  std::vector<abi::AttributeSlot> customer_attributes;
  abi::SubjectView view;
};

// Fills `storage` (reusing its buffers) and returns its view.
const abi::SubjectView& BuildSubjectView(const PolicyIr& policy, const SubjectFacts& facts, SubjectViewStorage& storage);

// `text` as the declared type of attribute `id`: Ok with the value (text
// values point at `text`), or Unparseable with `text` kept for the message.
abi::AttributeSlot ParseAttributeSlot(const PolicyIr& policy, AttributeId id, std::string_view text);

// The customer's `late_payments` attribute when it is a whole number, else 0.
std::int64_t PriorLatePayments(std::string_view text);

}  // namespace recoup::compiler
