#include "tools/testgen/subject_generator.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "runtime/counter_random.h"
#include "runtime/currency.h"

namespace recoup::testgen {
namespace {

using compiler::AttributeObject;
using compiler::Type;
using runtime::Date;
using runtime::Money;

constexpr std::uint64_t kSubjectStream = 0x7375626A656374ULL;  // "subject"

const std::vector<std::string> kSegments = {"strategic", "enterprise", "standard", "smb", "public"};
const std::vector<std::string> kCountries = {"US", "DE", "FR", "JP", "BH", "GB"};
const std::vector<std::string> kWords = {"EU", "US", "north", "south", "key \"account\"", "réseau", "tier-1"};

// One random draw per expression (the order of operands and arguments is
// unspecified in C++, and GCC and clang differ): draw into named locals.
class SubjectWriter {
 public:
  SubjectWriter(const compiler::PolicyIr& policy, std::uint64_t seed, std::uint64_t case_index)
      : policy_(policy), random_(seed, kSubjectStream, case_index) {
    currency_ = policy.header.currency;
    exponent_ = runtime::InfoOf(currency_).exponent;
    unit_ = 1;
    for (int i = 0; i < exponent_; ++i) unit_ *= 10;
    scale_ = exponent_ == 0 ? 100 : 1;
  }

  GeneratedSubject Write() {
    GeneratedSubject subject;
    compiler::SubjectFacts& facts = subject.facts;
    facts.customer_id = fmt::format("C-{}", Between(1, 999));
    WriteCustomerAttributes(facts);
    WriteInvoices(facts);
    WritePayments(facts);
    WriteDisputesAndPromises(facts);
    WriteOptions(subject);
    return subject;
  }

 private:
  std::int64_t Between(std::int64_t low, std::int64_t high) { return random_.UniformInt(low, high); }
  bool Chance(double probability) { return random_.Bernoulli(probability); }
  std::size_t Weighted(std::initializer_list<double> weights) {
    return random_.Choose(std::span<const double>(weights.begin(), weights.size()));
  }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<std::size_t>(Between(0, static_cast<std::int64_t>(items.size()) - 1))];
  }
  Date Day(std::int64_t offset) const { return kWindowStart.AddDays(static_cast<std::int32_t>(offset)); }

  // An amount of `major` units of the policy currency, with some minor digits.
  std::int64_t Minor(double major) {
    auto minor = static_cast<std::int64_t>(std::llround(major * static_cast<double>(scale_))) * unit_;
    if (unit_ > 1 && Chance(0.5)) minor += Between(0, unit_ - 1);
    return std::max<std::int64_t>(minor, 0);
  }

  // `percent` % of `minor`, rounded down; kept below the int64 limit.
  static std::int64_t Share(std::int64_t minor, std::int64_t percent) {
    __int128 share = static_cast<__int128>(minor) * percent / 100;
    return static_cast<std::int64_t>(std::min<__int128>(share, std::numeric_limits<std::int64_t>::max() - 1));
  }

  std::string PlainMoney(std::int64_t minor) const {
    if (exponent_ == 0) return fmt::format("{}", minor);
    return fmt::format("{}{}.{:0{}}", minor < 0 ? "-" : "", std::llabs(minor) / unit_, std::llabs(minor) % unit_, exponent_);
  }

  // The text of an attribute value as a ledger cell would hold it.
  std::string AttributeValue(Type type) {
    if (Chance(0.03)) {
      // Malformed: the interpreter must report it, not guess.
      static const std::vector<std::string> kBad = {"abc", "1.5d", "2026-02-30", "yes", "12,50", "", "1e3"};
      return Pick(kBad);
    }
    switch (type) {
      case Type::Money: {
        std::string amount = PlainMoney(Minor(static_cast<double>(Between(0, 20000))));
        return Chance(0.3) ? amount + " " + std::string(runtime::InfoOf(currency_).code) : amount;
      }
      case Type::Percent:
      case Type::Rate: {
        std::string value;
        if (Chance(0.5)) {
          value = fmt::format("{}", Between(0, 20));
        } else {
          std::int64_t whole = Between(0, 20);
          std::int64_t tenths = Between(0, 9);
          value = fmt::format("{}.{}", whole, tenths);
        }
        return Chance(0.5) ? value + "%" : value;
      }
      case Type::Duration: {
        std::int64_t days = Between(0, 90);
        switch (Weighted({3, 1, 1})) {
          case 0: return fmt::format("{}d", days);
          case 1: return fmt::format("{}", days);
          default: return fmt::format("{}bd", days * 5 / 7);
        }
      }
      case Type::Date: return Day(Between(0, 576)).ToIso();
      case Type::Count: return fmt::format("{}", Between(0, 20));
      case Type::Number: {
        std::int64_t whole = Between(0, 5);
        std::int64_t hundredths = Between(0, 99);
        return fmt::format("{}.{:02}", whole, hundredths);
      }
      case Type::Bool: return Chance(0.5) ? "true" : "false";
      case Type::Text: return Chance(0.5) ? Pick(kSegments) : Chance(0.5) ? Pick(kCountries) : Pick(kWords);
      case Type::Error: break;
    }
    return "";
  }

  void WriteAttributes(AttributeObject object, compiler::AttributeValues& into) {
    for (const compiler::Attribute& attribute : policy_.attributes) {
      if (attribute.object != object || Chance(0.03)) continue;  // sometimes missing
      into[attribute.name] = AttributeValue(attribute.type.type);
    }
  }

  void WriteCustomerAttributes(compiler::SubjectFacts& facts) {
    if (!Chance(0.05)) facts.customer_attributes["segment"] = Pick(kSegments);
    if (!Chance(0.05)) facts.customer_attributes["country"] = Pick(kCountries);
    if (Chance(0.3)) facts.customer_attributes["late_payments"] = Chance(0.9) ? fmt::format("{}", Between(0, 3)) : "x";
    WriteAttributes(AttributeObject::Customer, facts.customer_attributes);
  }

  void WriteInvoices(compiler::SubjectFacts& facts) {
    bool customer = policy_.header.subject == compiler::SubjectKind::Customer;
    std::int64_t count = customer ? static_cast<std::int64_t>(Weighted({0, 3, 3, 2, 1, 1})) : 1;
    // Mostly 2025-09..2026-07; one subject in ten around 29 February 2028
    // (leap-year interest and month ends).
    std::int64_t first_issue = Chance(0.9) ? Between(0, 300) : Between(760, 900);
    std::vector<std::int64_t> numbers;
    for (std::int64_t i = 0; i < count; ++i) {
      std::int64_t number = Between(1, 999);
      while (std::find(numbers.begin(), numbers.end(), number) != numbers.end()) number = Between(1, 999);
      numbers.push_back(number);
      compiler::InvoiceFacts invoice;
      invoice.id = fmt::format("INV-{}", number);
      std::int64_t issue = i == 0 ? first_issue : first_issue + Between(-20, 120);
      static const std::int64_t kTerms[] = {0, 14, 30, 30, 45, 60};
      std::int64_t terms = Chance(0.8) ? kTerms[Between(0, 5)] : Between(0, 90);
      invoice.issue = Day(std::max<std::int64_t>(issue, 0));
      invoice.due = invoice.issue.AddDays(static_cast<std::int32_t>(terms));
      double major = Chance(0.03) ? 0.0 : std::exp(std::log(50.0) + (std::log(40000.0) - std::log(50.0)) * random_.Uniform());
      invoice.amount = Money{Minor(major), currency_};
      // Now and then an amount near the int64 limit, so overflow is reported the same way.
      if (Chance(0.005)) invoice.amount.minor = std::numeric_limits<std::int64_t>::max() / Between(2, 1000);
      WriteAttributes(AttributeObject::Invoice, invoice.attributes);
      facts.invoices.push_back(std::move(invoice));
    }
    // An invoice in another currency: never covered, never converted.
    if (Chance(0.08)) {
      runtime::CurrencyId other = *runtime::FindCurrency(runtime::InfoOf(currency_).code == "CHF" ? "USD" : "CHF");
      compiler::InvoiceFacts invoice;
      invoice.id = "INV-FX";
      invoice.issue = Day(first_issue + Between(0, 30));
      invoice.due = invoice.issue.AddDays(30);
      invoice.amount = Money{Between(1000, 500000), other};
      facts.invoices.push_back(std::move(invoice));
    }
  }

  void WritePayments(compiler::SubjectFacts& facts) {
    bool customer = policy_.header.subject == compiler::SubjectKind::Customer;
    std::int64_t count = static_cast<std::int64_t>(Weighted({3, 3, 2, 1, 1}));
    Date first_issue = facts.invoices.front().issue;
    for (const compiler::InvoiceFacts& invoice : facts.invoices) first_issue = std::min(first_issue, invoice.issue);
    for (std::int64_t i = 0; i < count; ++i) {
      const compiler::InvoiceFacts& target = Pick(facts.invoices);
      if (target.amount.currency != currency_) {
        // A payment of an invoice the policy does not cover: not its money.
        facts.payments.push_back({target.id, target.due, target.amount});
        continue;
      }
      compiler::PaymentFacts payment;
      payment.invoice = Chance(customer ? 0.6 : 0.5) ? target.id : "";
      if (Chance(0.01)) payment.invoice = "INV-UNKNOWN";  // an error the interpreter reports
      switch (Weighted({2, 3, 4})) {
        case 0: payment.date = target.due; break;
        case 1: payment.date = first_issue.AddDays(-static_cast<std::int32_t>(Between(0, 10))); break;
        default: payment.date = target.issue.AddDays(static_cast<std::int32_t>(Between(0, 240))); break;
      }
      if (Chance(0.4)) payment.date = target.due.AddDays(static_cast<std::int32_t>(Between(1, 120)));
      std::int64_t amount = target.amount.minor;
      switch (Weighted({3, 4, 1.5, 1})) {
        case 0: break;                                                    // in full
        case 1: amount = Share(amount, Between(5, 95)); break;            // partial
        case 2: amount = Share(amount, Between(101, 150)) + 1; break;     // over-payment
        default: amount = Between(1, 100) * unit_; break;                 // a small one
      }
      payment.amount = Money{std::max<std::int64_t>(amount, 1), currency_};
      facts.payments.push_back(std::move(payment));
    }
  }

  void WriteDisputesAndPromises(compiler::SubjectFacts& facts) {
    for (std::int64_t i = 0, n = static_cast<std::int64_t>(Weighted({5, 3, 1})); i < n; ++i) {
      const compiler::InvoiceFacts& target = Pick(facts.invoices);
      compiler::DisputeFacts dispute;
      dispute.invoice = Chance(0.85) ? target.id : "";
      dispute.opened = target.issue.AddDays(static_cast<std::int32_t>(Between(-5, (target.due - target.issue) + 90)));
      if (Chance(0.7)) dispute.resolved = dispute.opened.AddDays(static_cast<std::int32_t>(Between(0, 45)));
      facts.disputes.push_back(std::move(dispute));
    }
    for (std::int64_t i = 0, n = static_cast<std::int64_t>(Weighted({5, 3, 1})); i < n; ++i) {
      const compiler::InvoiceFacts& target = Pick(facts.invoices);
      compiler::PromiseFacts promise;
      promise.invoice = Chance(0.85) ? target.id : "";
      promise.promised = target.due.AddDays(static_cast<std::int32_t>(Between(-5, 60)));
      if (Chance(0.5)) promise.made = promise.promised.AddDays(-static_cast<std::int32_t>(Between(0, 30)));
      facts.promises.push_back(std::move(promise));
    }
  }

  void WriteOptions(GeneratedSubject& subject) {
    const compiler::SubjectFacts& facts = subject.facts;
    Date first_issue = facts.invoices.front().issue;
    for (const compiler::InvoiceFacts& invoice : facts.invoices) first_issue = std::min(first_issue, invoice.issue);
    switch (Weighted({8, 1, 0.5})) {
      case 0: subject.options.horizon = compiler::DefaultHorizon(facts, static_cast<std::int32_t>(Between(20, 400))); break;
      case 1: subject.options.horizon = compiler::DefaultHorizon(facts); break;
      default: subject.options.horizon = first_issue.AddDays(static_cast<std::int32_t>(Between(-3, 20))); break;
    }
    for (std::int64_t i = 0, n = static_cast<std::int64_t>(Weighted({4, 2, 1, 1})); i < n; ++i) {
      std::int32_t span = std::max(1, subject.options.horizon - first_issue);
      subject.options.balance_probes.push_back(first_issue.AddDays(static_cast<std::int32_t>(Between(-5, span + 5))));
    }
  }

  static inline const Date kWindowStart = *Date::ParseIso("2025-09-01");
  const compiler::PolicyIr& policy_;
  runtime::RandomStream random_;
  runtime::CurrencyId currency_ = 0;
  int exponent_ = 2;
  std::int64_t unit_ = 100;
  std::int64_t scale_ = 1;
};

}  // namespace

GeneratedSubject GenerateSubject(const compiler::PolicyIr& policy, std::uint64_t seed, std::uint64_t case_index) {
  return SubjectWriter(policy, seed, case_index).Write();
}

}  // namespace recoup::testgen
