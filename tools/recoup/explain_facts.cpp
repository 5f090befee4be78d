// `recoup explain`'s flags turned into the interpreter's SubjectFacts.
// Every problem is a plain sentence naming the flag; the first one wins.
#include <fmt/format.h>

#include <map>
#include <optional>

#include "tools/recoup/explain_command.h"

namespace recoup::driver {
namespace {

std::vector<std::string> SplitColons(const std::string& text) {
  std::vector<std::string> parts;
  std::size_t begin = 0;
  while (true) {
    std::size_t colon = text.find(':', begin);
    parts.push_back(text.substr(begin, colon == std::string::npos ? std::string::npos : colon - begin));
    if (colon == std::string::npos) return parts;
    begin = colon + 1;
  }
}

// Reads flag values, keeping the first problem; later reads after a
// problem return placeholders that are never used.
class FlagReader {
 public:
  explicit FlagReader(runtime::CurrencyId currency) : currency_(currency) {}

  const std::optional<std::string>& error() const { return error_; }
  void Fail(std::string message) {
    if (!error_) error_ = std::move(message);
  }

  runtime::Date Date(const std::string& text, const char* flag) {
    std::optional<runtime::Date> date = runtime::Date::ParseIso(text);
    if (!date) Fail(fmt::format("{}: `{}` is not a date; write it as YYYY-MM-DD, e.g. 2026-01-31", flag, text));
    return date.value_or(runtime::Date());
  }

  runtime::Money Amount(const std::string& text, const char* flag) {
    runtime::DecimalResult amount = runtime::ParseDecimal(text);
    if (!amount.ok()) {
      Fail(fmt::format("{}: `{}` is not an amount; write digits such as 1200 or 1200.50", flag, text));
      return runtime::Money{0, currency_};
    }
    runtime::MoneyResult money = runtime::MoneyFromDecimal(amount.value, currency_);
    if (!money.ok()) {
      Fail(fmt::format("{}: `{}` has more decimals than {} allows", flag, text, runtime::InfoOf(currency_).code));
    } else if (money.value.minor < 0) {
      Fail(fmt::format("{}: `{}` must not be negative", flag, text));
    }
    return money.ok() ? money.value : runtime::Money{0, currency_};
  }

  void Attributes(const std::vector<std::string>& pairs, const char* flag, compiler::AttributeValues& into) {
    for (const std::string& pair : pairs) {
      std::size_t equals = pair.find('=');
      if (equals == std::string::npos || equals == 0) {
        Fail(fmt::format("{}: `{}` should be NAME=VALUE, e.g. segment=strategic", flag, pair));
        continue;
      }
      into[pair.substr(0, equals)] = pair.substr(equals + 1);
    }
  }

 private:
  runtime::CurrencyId currency_;
  std::optional<std::string> error_;
};

void ReadInvoices(const ExplainOptions& options, FlagReader& reader, compiler::SubjectFacts& facts) {
  compiler::AttributeValues attributes;
  reader.Attributes(options.invoice_attributes, "--invoice-attr", attributes);
  bool main_given = !options.amount.empty() || !options.issue.empty() || !options.due.empty();
  if (main_given || options.invoices.empty()) {
    if (options.amount.empty() || options.issue.empty() || options.due.empty()) {
      reader.Fail("give the invoice with --amount, --issue and --due (or several with --invoice ID:AMOUNT:ISSUE:DUE)");
      return;
    }
    facts.invoices.push_back({options.id, reader.Date(options.issue, "--issue"), reader.Date(options.due, "--due"),
                              reader.Amount(options.amount, "--amount"), attributes});
  }
  for (const std::string& text : options.invoices) {
    std::vector<std::string> parts = SplitColons(text);
    if (parts.size() != 4 || parts[0].empty()) {
      reader.Fail(fmt::format("--invoice: `{}` should be ID:AMOUNT:ISSUE:DUE, e.g. INV-2:2000:2026-02-01:2026-02-28", text));
      return;
    }
    facts.invoices.push_back({parts[0], reader.Date(parts[2], "--invoice"), reader.Date(parts[3], "--invoice"),
                              reader.Amount(parts[1], "--invoice"), attributes});
  }
  std::map<std::string, int> seen;
  for (const compiler::InvoiceFacts& invoice : facts.invoices) {
    if (invoice.due < invoice.issue) {
      reader.Fail(fmt::format("invoice {} is due ({}) before it is issued ({})", invoice.id, invoice.due.ToIso(),
                              invoice.issue.ToIso()));
    }
    if (++seen[invoice.id] > 1) reader.Fail(fmt::format("invoice id `{}` is given twice", invoice.id));
  }
}

void ReadEvents(const ExplainOptions& options, FlagReader& reader, compiler::SubjectFacts& facts) {
  auto known_invoice = [&](const std::string& id, const char* flag) {
    if (id.empty()) return;
    for (const compiler::InvoiceFacts& invoice : facts.invoices) {
      if (invoice.id == id) return;
    }
    reader.Fail(fmt::format("{}: there is no invoice `{}`", flag, id));
  };
  for (const std::string& text : options.payments) {
    std::vector<std::string> parts = SplitColons(text);
    if (parts.size() < 2 || parts.size() > 3) {
      reader.Fail(fmt::format("--payment: `{}` should be DATE:AMOUNT[:INVOICE], e.g. 2026-03-15:5000", text));
      continue;
    }
    std::string invoice = parts.size() == 3 ? parts[2] : "";
    known_invoice(invoice, "--payment");
    facts.payments.push_back({invoice, reader.Date(parts[0], "--payment"), reader.Amount(parts[1], "--payment")});
  }
  for (const std::string& text : options.disputes) {
    std::vector<std::string> parts = SplitColons(text);
    if (parts.size() > 3) {
      reader.Fail(fmt::format("--dispute: `{}` should be OPENED[:RESOLVED[:INVOICE]], e.g. 2026-02-10:2026-02-20", text));
      continue;
    }
    compiler::DisputeFacts dispute{parts.size() == 3 ? parts[2] : "", reader.Date(parts[0], "--dispute"), std::nullopt};
    if (parts.size() >= 2 && !parts[1].empty()) dispute.resolved = reader.Date(parts[1], "--dispute");
    if (dispute.resolved && *dispute.resolved <= dispute.opened) {
      reader.Fail(fmt::format("--dispute: `{}` is resolved before or on the day it opened", text));
    }
    known_invoice(dispute.invoice, "--dispute");
    facts.disputes.push_back(dispute);
  }
  for (const std::string& text : options.promises) {
    std::vector<std::string> parts = SplitColons(text);
    if (parts.size() > 3) {
      reader.Fail(fmt::format("--promise: `{}` should be PROMISED[:MADE[:INVOICE]], e.g. 2026-03-01:2026-02-15", text));
      continue;
    }
    compiler::PromiseFacts promise{parts.size() == 3 ? parts[2] : "", std::nullopt, reader.Date(parts[0], "--promise")};
    if (parts.size() >= 2 && !parts[1].empty()) promise.made = reader.Date(parts[1], "--promise");
    if (promise.made && promise.promised < *promise.made) {
      reader.Fail(fmt::format("--promise: `{}` promises a date before the promise was made", text));
    }
    known_invoice(promise.invoice, "--promise");
    facts.promises.push_back(promise);
  }
}

}  // namespace

std::optional<std::string> BuildExplainFacts(const ExplainOptions& options, const compiler::PolicyIr& policy,
                                             compiler::SubjectFacts& facts, compiler::InterpretOptions& run) {
  runtime::CurrencyId currency = policy.header.currency;
  if (!options.currency.empty()) {
    std::optional<runtime::CurrencyId> found = runtime::FindCurrency(options.currency);
    if (!found) return fmt::format("--currency: `{}` is not an ISO 4217 currency code", options.currency);
    currency = *found;
  }
  FlagReader reader(currency);
  facts.customer_id = "customer";
  reader.Attributes(options.customer_attributes, "--customer-attr", facts.customer_attributes);
  ReadInvoices(options, reader, facts);
  if (reader.error()) return reader.error();
  ReadEvents(options, reader, facts);
  if (reader.error()) return reader.error();

  if (std::optional<runtime::Date> date = runtime::Date::ParseIso(options.horizon)) {
    run.horizon = *date;
    return std::nullopt;
  }
  std::string digits = options.horizon;
  if (!digits.empty() && digits.back() == 'd') digits.pop_back();
  runtime::DecimalResult days = runtime::ParseDecimal(digits);
  if (digits.empty() || !days.ok() || days.value.scale != 0 || days.value.digits < 0 || days.value.digits > 36500) {
    return fmt::format("--horizon: `{}` should be days after the due date (180d) or a date", options.horizon);
  }
  run.horizon = compiler::DefaultHorizon(facts, static_cast<std::int32_t>(days.value.digits));
  return std::nullopt;
}

}  // namespace recoup::driver
