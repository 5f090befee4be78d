// Spellings of the IR's enumerations, shared by the printer and messages.
#include "compiler/policy_ir.h"

namespace recoup::compiler {

const char* FieldSpelling(Field field) {
  switch (field) {
    case Field::InvoiceId: return "invoice.id";
    case Field::InvoiceAmount: return "invoice.amount";
    case Field::InvoiceBalance: return "invoice.balance";
    case Field::InvoicePrincipal: return "invoice.principal";
    case Field::InvoiceDaysPastDue: return "invoice.days_past_due";
    case Field::InvoiceCurrency: return "invoice.currency";
    case Field::InvoiceIssue: return "invoice.issue";
    case Field::InvoiceDue: return "invoice.due";
    case Field::CustomerId: return "customer.id";
    case Field::CustomerSegment: return "customer.segment";
    case Field::CustomerCountry: return "customer.country";
    case Field::CustomerOpenBalance: return "customer.open_balance";
    case Field::CustomerOpenInvoices: return "customer.open_invoices";
    case Field::CustomerLatePayments: return "customer.late_payments";
  }
  return "?";
}

const char* ActionSpelling(ActionKind kind) {
  switch (kind) {
    case ActionKind::Email: return "email";
    case ActionKind::Sms: return "sms";
    case ActionKind::Letter: return "letter";
    case ActionKind::Call: return "call";
    case ActionKind::Notice: return "notice";
    case ActionKind::Task: return "task";
    case ActionKind::Fee: return "fee";
    case ActionKind::Interest: return "interest";
    case ActionKind::SuspendService: return "suspend service";
    case ActionKind::ResumeService: return "resume service";
    case ActionKind::HoldCredit: return "hold credit";
    case ActionKind::ReleaseCredit: return "release credit";
    case ActionKind::Agency: return "agency";
    case ActionKind::Legal: return "legal";
    case ActionKind::WriteOff: return "write off";
  }
  return "?";
}

}  // namespace recoup::compiler
