// Drafting a synthetic ledger's customers and invoices: segment, terms,
// activity, country and region per customer; invoice counts per month with
// seasonality, issue days with a month-end peak, log-normal amounts.
#include <algorithm>
#include <array>
#include <cmath>

#include "runtime/counter_random.h"
#include "runtime/ledger_generator_internal.h"

namespace recoup::runtime::generator_detail {
namespace {

constexpr std::array<std::string_view, 7> kCountries = {"US", "CA", "GB", "DE", "FR", "NL", "AU"};
constexpr std::array<double, 7> kCountryWeights = {0.45, 0.10, 0.15, 0.10, 0.08, 0.07, 0.05};
constexpr std::array<std::string_view, 5> kRegions = {"north", "south", "east", "west", "central"};

// Saturday and Sunday move back to the Friday, unless that leaves the
// period; then forward to the Monday (or the period's last day).
std::int32_t IssueWeekday(std::int32_t day, std::int32_t first, std::int32_t last) {
  const std::uint32_t weekday = Date::FromDays(day).weekday();
  if (weekday < 5) return day;
  const std::int32_t friday = day - static_cast<std::int32_t>(weekday - 4);
  if (friday >= first) return friday;
  return std::min(day + static_cast<std::int32_t>(7 - weekday), last);
}

// A credit limit of about two terms' worth of expected billing, in whole
// thousands of the currency, at least one thousand.
std::int64_t CreditLimit(const SegmentProfile& profile, double activity, std::int32_t terms, std::int64_t minor) {
  const double mean_amount = profile.amount_median * std::exp(profile.amount_sigma * profile.amount_sigma / 2);
  const double monthly = profile.invoices_per_month * activity * mean_amount;
  const double limit = monthly * (static_cast<double>(terms) / 30.0 + 1.0) * 2.0;
  return std::max<std::int64_t>(1, static_cast<std::int64_t>(std::ceil(limit / 1000.0))) * 1000 * minor;
}

}  // namespace

Date AddMonths(Date start, std::uint32_t months) {
  const std::int64_t month_index = static_cast<std::int64_t>(start.year()) * 12 + (start.month() - 1) + months;
  const auto year = static_cast<std::int32_t>(month_index / 12);
  const auto month = static_cast<std::uint32_t>(month_index % 12 + 1);
  const Date first = *Date::FromCivil(year, month, 1);
  return first.AddDays(static_cast<std::int32_t>(std::min(start.day(), first.EndOfMonth().day())) - 1);
}

std::span<const std::string_view> Countries() { return kCountries; }
std::span<const std::string_view> Regions() { return kRegions; }

std::vector<CustomerDraft> DraftCustomers(const GeneratorOptions& options) {
  const std::vector<const SegmentProfile*> active = ActiveProfiles(options);
  std::vector<double> weights;
  for (const SegmentProfile* profile : active) weights.push_back(profile->customer_weight);
  const std::int64_t minor = MinorPerMajor(options.currency);
  std::vector<CustomerDraft> customers(options.customers);
  for (std::uint32_t index = 0; index < options.customers; ++index) {
    RandomStream random(options.seed, static_cast<std::uint64_t>(StreamPurpose::Customer), index);
    CustomerDraft& customer = customers[index];
    customer.profile = active[random.Choose(weights)];
    customer.terms_days = kTermsDays[random.Choose(customer.profile->terms_weights)];
    customer.activity = random.LogNormal(1.0, kActivitySigma);
    const bool joins_late = random.Bernoulli(kLateJoinerShare);
    const auto join_month = static_cast<std::uint32_t>(random.UniformInt(1, std::max<std::int64_t>(1, options.months - 1)));
    customer.first_month = joins_late && options.months > 1 ? join_month : 0;
    customer.country = static_cast<std::uint8_t>(random.Choose(kCountryWeights));
    customer.region = static_cast<std::uint8_t>(random.UniformInt(0, kRegions.size() - 1));
    customer.credit_limit_minor = CreditLimit(*customer.profile, customer.activity, customer.terms_days, minor);
  }
  return customers;
}

std::vector<InvoiceDraft> DraftInvoices(const GeneratorOptions& options, const std::vector<CustomerDraft>& customers) {
  const std::int64_t minor = MinorPerMajor(options.currency);
  std::vector<InvoiceDraft> invoices;
  double expected = 0;
  for (const CustomerDraft& customer : customers) expected += customer.profile->invoices_per_month * customer.activity;
  invoices.reserve(static_cast<std::size_t>(expected * options.months * 1.05) + 16);
  for (std::uint32_t index = 0; index < customers.size(); ++index) {
    const CustomerDraft& customer = customers[index];
    const SegmentProfile& profile = *customer.profile;
    std::uint32_t sequence = 0;
    for (std::uint32_t month = customer.first_month; month < options.months; ++month) {
      RandomStream random(options.seed, static_cast<std::uint64_t>(StreamPurpose::MonthVolume), index, month);
      const Date period_start = AddMonths(options.start, month);
      const std::int32_t first = period_start.days();
      const std::int32_t last = AddMonths(options.start, month + 1).days() - 1;
      const std::int32_t month_end = period_start.EndOfMonth().days();
      const double volume = kMonthVolume[period_start.month() - 1];
      const std::uint32_t count = random.Poisson(profile.invoices_per_month * customer.activity * volume);
      for (std::uint32_t n = 0; n < count; ++n) {
        std::int32_t day = static_cast<std::int32_t>(random.UniformInt(first, last));
        const std::int32_t end_day = month_end - static_cast<std::int32_t>(random.UniformInt(0, 2));
        if (random.Bernoulli(kMonthEndShare) && end_day >= first && end_day <= last) day = end_day;
        InvoiceDraft& invoice = invoices.emplace_back();
        invoice.customer = index;
        invoice.sequence = sequence++;
        invoice.issue = IssueWeekday(day, first, last);
        invoice.due = invoice.issue + customer.terms_days;
        const double amount = std::round(random.LogNormal(profile.amount_median, profile.amount_sigma) * minor);
        invoice.amount_minor = std::max<std::int64_t>(minor, static_cast<std::int64_t>(std::min(amount, 1e15)));
      }
    }
  }
  std::sort(invoices.begin(), invoices.end(), [](const InvoiceDraft& a, const InvoiceDraft& b) {
    if (a.issue != b.issue) return a.issue < b.issue;
    if (a.customer != b.customer) return a.customer < b.customer;
    return a.sequence < b.sequence;
  });
  return invoices;
}

}  // namespace recoup::runtime::generator_detail
