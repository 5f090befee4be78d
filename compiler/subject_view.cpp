#include "compiler/subject_view.h"

#include <string>

#include "compiler/engine_internal.h"
#include "compiler/interpreter_expression.h"
#include "runtime/decimal.h"

namespace recoup::compiler {
namespace {

using abi::kNoIndex;

abi::TextRef Ref(std::string_view text) { return {text.data(), static_cast<std::uint32_t>(text.size())}; }

// The index of `name` among the names (added when new); kNoIndex for "".
std::int32_t Intern(std::vector<abi::TextRef>& names, const std::string& name) {
  if (name.empty()) return kNoIndex;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (std::string_view(names[i].data, names[i].size) == name) return static_cast<std::int32_t>(i);
  }
  names.push_back(Ref(name));
  return static_cast<std::int32_t>(names.size() - 1);
}

// The first invoice of the facts with this name, or kNoIndex.
std::int32_t InvoiceNamed(const SubjectViewStorage& storage, std::int32_t name) {
  if (name == kNoIndex) return kNoIndex;
  for (std::size_t i = 0; i < storage.invoices.size(); ++i) {
    if (storage.invoices[i].name == name) return static_cast<std::int32_t>(i);
  }
  return kNoIndex;
}

abi::TextRef AttributeText(const AttributeValues& values, const char* name) {
  auto found = values.find(name);
  return found == values.end() ? abi::TextRef{} : Ref(found->second);
}

abi::AttributeSlot SlotFrom(const PolicyIr& policy, AttributeId id, const AttributeValues& values) {
  auto found = values.find(policy.attributes[id].name);
  if (found == values.end()) return abi::AttributeSlot{};
  return ParseAttributeSlot(policy, id, found->second);
}

}  // namespace

abi::AttributeSlot ParseAttributeSlot(const PolicyIr& policy, AttributeId id, std::string_view text) {
  abi::AttributeSlot slot;
  const ValueType& type = policy.attributes[id].type;
  if (type.type == Type::Text) {
    slot.state = abi::SlotState::Ok;
    slot.value.type = static_cast<std::uint8_t>(Type::Text);
    slot.value.text = Ref(text);
    return slot;
  }
  interpreter::EvaluationResult parsed =
      interpreter::ParseAttributeValue(std::string(text), type, policy.header.currency);
  if (parsed.error) {
    slot.state = abi::SlotState::Unparseable;
    slot.value.type = static_cast<std::uint8_t>(Type::Text);
    slot.value.text = Ref(text);
    return slot;
  }
  slot.state = abi::SlotState::Ok;
  slot.value = abi::FromIrValue(parsed.value);
  return slot;
}

std::int64_t PriorLatePayments(std::string_view text) {
  runtime::DecimalResult count = runtime::ParseDecimal(text);
  return count.ok() && count.value.scale == 0 ? count.value.digits : 0;
}

const abi::SubjectView& BuildSubjectView(const PolicyIr& policy, const SubjectFacts& facts, SubjectViewStorage& storage) {
  storage.names.clear();
  storage.invoices.clear();
  storage.payments.clear();
  storage.disputes.clear();
  storage.promises.clear();
  storage.invoice_attributes.clear();
  storage.customer_attributes.clear();
  // Invoice ids first, so that invoice i's name is found before any other.
  for (const InvoiceFacts& invoice : facts.invoices) {
    abi::InvoiceView view;
    view.name = Intern(storage.names, invoice.id);
    if (view.name == kNoIndex) {  // an empty id is still a name of its own
      storage.names.push_back(abi::TextRef{"", 0});
      view.name = static_cast<std::int32_t>(storage.names.size() - 1);
    }
    view.issue = invoice.issue.days();
    view.due = invoice.due.days();
    view.amount = invoice.amount.minor;
    view.currency = invoice.amount.currency;
    storage.invoices.push_back(view);
  }
  for (const PaymentFacts& payment : facts.payments) {
    abi::PaymentView view;
    view.name = Intern(storage.names, payment.invoice);
    view.invoice = InvoiceNamed(storage, view.name);
    view.date = payment.date.days();
    view.currency = payment.amount.currency;
    view.amount = payment.amount.minor;
    storage.payments.push_back(view);
  }
  for (const DisputeFacts& dispute : facts.disputes) {
    storage.disputes.push_back(
        {Intern(storage.names, dispute.invoice), dispute.opened.days(), dispute.resolved ? dispute.resolved->days() : abi::kNoDate});
  }
  for (const PromiseFacts& promise : facts.promises) {
    abi::PromiseView view;
    view.name = Intern(storage.names, promise.invoice);
    view.invoice = InvoiceNamed(storage, view.name);
    view.made = promise.made ? promise.made->days() : abi::kNoDate;
    view.promised = promise.promised.days();
    storage.promises.push_back(view);
  }
  std::size_t attribute_count = policy.attributes.size();
  storage.invoice_attributes.reserve(facts.invoices.size() * attribute_count);
  for (const InvoiceFacts& invoice : facts.invoices) {
    for (AttributeId id = 0; id < attribute_count; ++id) {
      bool on_invoice = policy.attributes[id].object == AttributeObject::Invoice;
      storage.invoice_attributes.push_back(on_invoice ? SlotFrom(policy, id, invoice.attributes) : abi::AttributeSlot{});
    }
  }
  for (AttributeId id = 0; id < attribute_count; ++id) {
    bool on_customer = policy.attributes[id].object == AttributeObject::Customer;
    storage.customer_attributes.push_back(on_customer ? SlotFrom(policy, id, facts.customer_attributes)
                                                      : abi::AttributeSlot{});
  }
  abi::SubjectView& view = storage.view;
  view = abi::SubjectView{};
  view.names = storage.names.data();
  view.name_count = static_cast<std::uint32_t>(storage.names.size());
  view.customer_id = Ref(facts.customer_id);
  view.segment = AttributeText(facts.customer_attributes, "segment");
  view.country = AttributeText(facts.customer_attributes, "country");
  auto late = facts.customer_attributes.find("late_payments");
  view.prior_late_payments = late == facts.customer_attributes.end() ? 0 : PriorLatePayments(late->second);
  view.invoices = storage.invoices.data();
  view.invoice_count = static_cast<std::uint32_t>(storage.invoices.size());
  view.payments = storage.payments.data();
  view.payment_count = static_cast<std::uint32_t>(storage.payments.size());
  view.disputes = storage.disputes.data();
  view.dispute_count = static_cast<std::uint32_t>(storage.disputes.size());
  view.promises = storage.promises.data();
  view.promise_count = static_cast<std::uint32_t>(storage.promises.size());
  view.attribute_count = static_cast<std::uint32_t>(attribute_count);
  view.invoice_attributes = storage.invoice_attributes.data();
  view.customer_attributes = storage.customer_attributes.data();
  return view;
}

}  // namespace recoup::compiler
