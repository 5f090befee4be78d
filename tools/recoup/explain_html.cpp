// `recoup explain --report FILE`: one subject's timeline as an HTML page,
// drawn on a time axis: the open balance over time, payments, disputes and
// promises as spans, and a lane per action kind with a marker on each day
// an action was taken; the same events as a table and the text timeline.
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <string_view>

#include "tools/recoup/explain_command.h"
#include "tools/recoup/html_page.h"
#include "tools/recoup/svg_chart.h"

namespace recoup::driver {
namespace {

using compiler::LedgerEvent;
using runtime::Date;
using svg::Escape;
using svg::Number;

double Major(runtime::Money money) {
  double scale = 1;
  for (int i = 0; i < runtime::InfoOf(money.currency).exponent; ++i) scale *= 10;
  return static_cast<double>(money.minor) / scale;
}

struct Span {
  Date from, to;
  std::string label;
};

// "invoice INV-1", "invoices INV-1, INV-2".
std::string SubjectWords(const ExplainView& view) {
  std::string ids;
  for (const compiler::InvoiceFacts& invoice : view.facts.invoices) ids += (ids.empty() ? "" : ", ") + invoice.id;
  return (view.facts.invoices.size() == 1 ? "invoice " : "invoices ") + ids;
}

// The timeline chart: balance panel on top, one lane per action kind below.
class TimelineChart {
 public:
  TimelineChart(const ExplainView& view) : view_(view) {
    const compiler::InterpretResult& result = view.result;
    first_ = result.start;
    last_ = result.horizon;
    due_ = view.facts.invoices.empty() ? first_ : view.facts.invoices.front().due;
    for (const compiler::InvoiceFacts& invoice : view.facts.invoices) {
      first_ = std::min(first_, invoice.issue);
      due_ = std::min(due_, invoice.due);
    }
    if (last_ <= first_) last_ = first_.AddDays(1);
    for (const compiler::Firing& firing : result.firings) {
      for (const compiler::ActionRecord& action : firing.actions) {
        std::size_t kind = static_cast<std::size_t>(action.kind);
        if (std::find(lanes_.begin(), lanes_.end(), kind) == lanes_.end()) lanes_.push_back(kind);
      }
    }
    std::sort(lanes_.begin(), lanes_.end());
  }

  std::string Render() {
    frame_.height = 380 + 30.0 * lanes_.size();
    frame_.left = 110;
    std::string currency(runtime::InfoOf(view_.policy.header.currency).code);
    std::string svg = svg::OpenChart(
        "timeline", "Timeline", fmt::format("The open balance of {} from {} to {}, the payments, pauses and every action taken, on a time axis.",
                                            SubjectName(), first_.ToIso(), last_.ToIso()),
        {}, true, frame_);
    svg += Legend();
    balance_bottom_ = frame_.plot_top() + 190;
    lanes_top_ = balance_bottom_ + 28;
    svg += Spans();
    svg += BalancePanel(currency);
    svg += DateAxis();
    svg += Markers();
    svg += Lanes();
    return svg + "</svg>\n";
  }

 private:
  std::string SubjectName() const {
    return SubjectWords(view_);
  }
  double X(Date date) const {
    return frame_.plot_left() + static_cast<double>(date - first_) / (last_ - first_) * (frame_.plot_right() - frame_.plot_left());
  }

  // Drawn here: the marks are a line, a triangle and two kinds of span.
  std::string Legend() {
    double y = 44;
    std::string svg = fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"{3}\" stroke-width=\"3\"/>"
                                  "<text x=\"{4}\" y=\"{5}\" fill=\"#1a1a1a\">Open balance</text>",
                                  Number(frame_.left), Number(y - 4), Number(frame_.left + 22), svg::SeriesColour(0),
                                  Number(frame_.left + 28), Number(y));
    double x = frame_.left + 130;
    svg += fmt::format("<path d=\"M{} {} l-6 -11 h12 z\" fill=\"{}\"/><text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">Payment</text>",
                       Number(x + 8), Number(y + 1), svg::SeriesColour(1), Number(x + 20), Number(y));
    x += 90;
    for (const auto& [colour, label] : {std::pair<const char*, const char*>{"#D55E00", "Dispute"}, {"#009E73", "Promise to pay"}}) {
      svg += fmt::format("<rect x=\"{}\" y=\"{}\" width=\"16\" height=\"11\" fill=\"{}\" fill-opacity=\"0.3\"/>"
                         "<text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">{}</text>",
                         Number(x), Number(y - 10), colour, Number(x + 22), Number(y), label);
      x += 40 + 7.0 * std::string_view(label).size();
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" fill=\"#1a1a1a\">&#9679; an action, a row per kind</text>\n",
                       Number(x), Number(y));
    frame_.top = y + 18;
    return svg;
  }

  std::string Spans() const {
    std::vector<Span> spans;
    std::map<std::string, Date> opened;
    for (const LedgerEvent& event : view_.result.ledger) {
      if (event.kind == LedgerEvent::Kind::DisputeOpened) opened[event.invoice] = event.date;
      if (event.kind == LedgerEvent::Kind::DisputeResolved && opened.count(event.invoice)) {
        spans.push_back({opened[event.invoice], event.date, "dispute"});
        opened.erase(event.invoice);
      }
    }
    for (const auto& [invoice, date] : opened) spans.push_back({date, last_, "dispute (open)"});
    for (const compiler::PromiseFacts& promise : view_.facts.promises) {
      spans.push_back({promise.made ? *promise.made : promise.promised, promise.promised, "promise to pay"});
    }
    std::string svg;
    for (const Span& span : spans) {
      double from = X(std::max(span.from, first_)), to = X(std::min(span.to, last_));
      svg += fmt::format("<rect class=\"span\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" fill-opacity=\"0.14\">"
                         "<title>{} {} to {}</title></rect>",
                         Number(from), Number(frame_.plot_top()), Number(std::max(2.0, to - from)),
                         Number(balance_bottom_ - frame_.plot_top()), span.label[0] == 'd' ? "#D55E00" : "#009E73",
                         Escape(span.label), span.from.ToIso(), span.to.ToIso());
      svg += fmt::format("<text x=\"{}\" y=\"{}\" font-size=\"11\" fill=\"#333333\">{}</text>\n", Number(from + 3),
                         Number(frame_.plot_top() + 12), Escape(span.label));
    }
    return svg;
  }

  std::string BalancePanel(const std::string& currency) {
    const std::vector<compiler::BalancePoint>& points = view_.result.balances;
    double high = 0;
    for (const compiler::InvoiceFacts& invoice : view_.facts.invoices) high += Major(invoice.amount);
    for (const compiler::BalancePoint& point : points) high = std::max(high, Major(point.open));
    if (high <= 0) high = 1;
    std::vector<double> ticks = svg::NiceTicks(0, high, 4);
    high_ = std::max(high, ticks.back());
    svg::Frame panel = frame_;
    panel.bottom = frame_.height - balance_bottom_;
    std::string svg = svg::ValueAxis(panel, ticks, 0, high_, svg::Compact, fmt::format("Open ({})", currency));
    // A step line: the balance holds until the next day something happened.
    // A later invoice adds its amount on its issue day; a balance point (what
    // is owed after that day, every invoice included) sets it.
    struct Change {
      Date date;
      bool absolute;
      double value;
    };
    std::vector<Change> changes;
    double open = 0;
    for (const compiler::InvoiceFacts& invoice : view_.facts.invoices) {
      if (invoice.issue <= first_) {
        open += Major(invoice.amount);
      } else {
        changes.push_back({invoice.issue, false, Major(invoice.amount)});
      }
    }
    for (const compiler::BalancePoint& point : points) changes.push_back({point.date, true, Major(point.open)});
    std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
      return a.date < b.date || (a.date == b.date && !a.absolute && b.absolute);
    });
    std::string line = Number(X(first_)) + "," + Number(Y(open));
    for (const Change& change : changes) {
      if (change.date < first_ || change.date > last_) continue;
      line += " " + Number(X(change.date)) + "," + Number(Y(open));
      open = change.absolute ? change.value : open + change.value;
      line += " " + Number(X(change.date)) + "," + Number(Y(open));
    }
    line += " " + Number(X(last_)) + "," + Number(Y(open));
    svg += fmt::format("<polyline class=\"balance\" points=\"{}\" fill=\"none\" stroke=\"{}\" stroke-width=\"2.5\"/>\n", line,
                       svg::SeriesColour(0));
    for (const LedgerEvent& event : view_.result.ledger) {
      if (event.kind != LedgerEvent::Kind::Payment) continue;
      double x = X(event.date), y = balance_bottom_;
      svg += fmt::format("<path class=\"payment\" d=\"M{} {} l-6 -11 h12 z\" fill=\"{}\"><title>{}: {}</title></path>\n",
                         Number(x), Number(y), svg::SeriesColour(1), event.date.ToIso(),
                         Escape(ExplainLedgerLine(view_, event)));
    }
    return svg;
  }
  double Y(double value) const {
    return balance_bottom_ - value / high_ * (balance_bottom_ - frame_.plot_top());
  }

  std::string DateAxis() const {
    std::string svg;
    double axis = lanes_top_ + 30.0 * lanes_.size() + 4;
    svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#555555\"/>\n", Number(frame_.plot_left()),
                       Number(axis), Number(frame_.plot_right()));
    for (double tick : svg::NiceTicks(first_ - due_, last_ - due_, 7)) {
      Date date = due_.AddDays(static_cast<std::int32_t>(tick));
      if (date < first_ || date > last_) continue;
      double x = X(date);
      svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555555\"/>", Number(x), Number(axis),
                         Number(axis + 5));
      std::string relative = tick == 0 ? "due" : fmt::format("due{:+}d", static_cast<int>(tick));
      svg += fmt::format("<text x=\"{0}\" y=\"{1}\" text-anchor=\"middle\" fill=\"#333333\">{2}</text>"
                         "<text x=\"{0}\" y=\"{3}\" text-anchor=\"middle\" font-size=\"10\" fill=\"#555555\">{4}</text>\n",
                         Number(x), Number(axis + 18), date.ToIso(), Number(axis + 31), relative);
    }
    svg += fmt::format("<text x=\"{}\" y=\"{}\" text-anchor=\"middle\" fill=\"#1a1a1a\">Date (days relative to the due date "
                       "below)</text>\n",
                       Number((frame_.plot_left() + frame_.plot_right()) / 2), Number(axis + 48));
    return svg;
  }

  // Dashed lines for the issue date, the due date and the horizon.
  std::string Markers() const {
    std::string svg;
    double bottom = lanes_top_ + 30.0 * lanes_.size() + 4;
    int count = 0;
    auto mark = [&](Date date, const std::string& label) {
      double x = X(date);
      bool at_end = date == last_;
      double label_y = balance_bottom_ + 14 + (count++ % 2 == 1 && !at_end ? 11 : 0);  // neighbours do not overlap
      svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{0}\" y2=\"{2}\" stroke=\"#555555\" stroke-dasharray=\"4 3\"/>"
                         "<text x=\"{3}\" y=\"{4}\" font-size=\"11\" fill=\"#333333\"{5}>{6}</text>\n",
                         Number(x), Number(frame_.plot_top()), Number(bottom), Number(at_end ? x - 3 : x + 3),
                         Number(label_y), at_end ? " text-anchor=\"end\"" : "", Escape(label));
    };
    for (const compiler::InvoiceFacts& invoice : view_.facts.invoices) {
      mark(invoice.issue, "issued");
      mark(invoice.due, "due");
    }
    mark(last_, "horizon");
    return svg;
  }

  std::string Lanes() const {
    std::string svg;
    for (std::size_t lane = 0; lane < lanes_.size(); ++lane) {
      double y = lanes_top_ + 30.0 * lane + 15;
      svg += fmt::format("<line x1=\"{0}\" y1=\"{1}\" x2=\"{2}\" y2=\"{1}\" stroke=\"#eeeeee\"/>"
                         "<text x=\"{3}\" y=\"{4}\" text-anchor=\"end\" fill=\"#1a1a1a\">{5}</text>\n",
                         Number(frame_.plot_left()), Number(y), Number(frame_.plot_right()), Number(frame_.plot_left() - 8),
                         Number(y + 4), Escape(compiler::ActionSpelling(static_cast<compiler::ActionKind>(lanes_[lane]))));
    }
    bool customer = view_.policy.header.subject == compiler::SubjectKind::Customer;
    for (const compiler::Firing& firing : view_.result.firings) {
      for (const compiler::ActionRecord& action : firing.actions) {
        std::size_t lane = std::find(lanes_.begin(), lanes_.end(), static_cast<std::size_t>(action.kind)) - lanes_.begin();
        double y = lanes_top_ + 30.0 * lane + 15;
        svg += fmt::format("<circle class=\"action\" cx=\"{}\" cy=\"{}\" r=\"6\" fill=\"{}\" stroke=\"#ffffff\">"
                           "<title>{} ({}): {}</title></circle>\n",
                           Number(X(firing.date)), Number(y), svg::SeriesColour(2 + lane), firing.date.ToIso(),
                           RelativeToDue(view_, firing.date), Escape(ExplainActionLine(action, customer)));
      }
    }
    return svg;
  }

  const ExplainView& view_;
  Date first_, last_, due_;
  std::vector<std::size_t> lanes_;
  svg::Frame frame_;
  double balance_bottom_ = 0, lanes_top_ = 0, high_ = 1;
};

// Every firing and ledger event in the run's order: the chart's data table.
std::string EventTable(const ExplainView& view) {
  struct Row {
    std::uint32_t sequence;
    std::vector<std::string> cells;
  };
  std::vector<Row> rows;
  bool customer = view.policy.header.subject == compiler::SubjectKind::Customer;
  for (const compiler::Firing& firing : view.result.firings) {
    for (const compiler::ActionRecord& action : firing.actions) {
      rows.push_back({firing.sequence,
                      {firing.date.ToIso(), RelativeToDue(view, firing.date), Escape(compiler::ActionSpelling(action.kind)),
                       Escape(ExplainActionLine(action, customer)), Escape(DescribeCause(view, firing.cause))}});
    }
  }
  for (const LedgerEvent& event : view.result.ledger) {
    rows.push_back({event.sequence,
                    {event.date.ToIso(), RelativeToDue(view, event.date), "ledger", Escape(ExplainLedgerLine(view, event)), ""}});
  }
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.sequence < b.sequence; });
  std::vector<std::vector<std::string>> cells;
  for (Row& row : rows) cells.push_back(std::move(row.cells));
  return html::Table("", {"Date", "Relative", "Kind", "What", "Why"}, cells);
}

std::string TotalsTable(const ExplainView& view) {
  const compiler::MoneyTotals& totals = view.result.totals;
  auto money = [](const char* key, runtime::Money value) {
    return fmt::format("<span class=\"value\" data-key=\"{}\">{}</span>", key,
                       Escape(html::GroupDigits(runtime::ToString(value))));
  };
  return html::Table("", {"Total", "Amount"},
                     {{"Invoiced", money("invoiced", totals.amount)},
                      {"Fees charged", money("fees_charged", totals.fees_charged)},
                      {"Interest charged", money("interest_charged", totals.interest_charged)},
                      {"Collected", money("collected", totals.collected)},
                      {"Written off", money("written_off", totals.written_off)},
                      {"Open at the horizon", money("open", totals.open)}});
}

}  // namespace

std::string RenderExplainHtml(const ExplainView& view, const std::string& policy_sha256, const std::string& version) {
  const compiler::Header& header = view.policy.header;
  std::string subject = SubjectWords(view);
  std::string title = fmt::format("Recoup: {} under \"{}\"", subject, header.name);
  std::string text = html::PageOpen(title);
  text += "<h1>" + Escape(title) + "</h1>\n";
  text += fmt::format("<p class=\"lead\">What policy \"{}\" version {} does, day by day, from {} to the horizon {}.</p>\n",
                      Escape(header.name), Escape(header.version), view.result.start.ToIso(), view.result.horizon.ToIso());
  std::vector<std::vector<std::string>> invoices;
  for (const compiler::InvoiceFacts& invoice : view.facts.invoices) {
    invoices.push_back({Escape(invoice.id), Escape(html::GroupDigits(runtime::ToString(invoice.amount))), invoice.issue.ToIso(),
                        invoice.due.ToIso()});
  }
  text += html::Table("", {"Invoice", "Amount", "Issued", "Due"}, invoices);
  text += "<h2 id=\"timeline\">Timeline</h2>\n" + TimelineChart(view).Render();
  text += html::Folded("Data: every action and ledger event, in order", EventTable(view));
  text += "<h2 id=\"totals\">At the horizon</h2>\n" + TotalsTable(view);
  text += "<h2 id=\"explanation\">The full explanation</h2>\n";
  text += html::Folded("Text timeline (as <code>recoup explain</code> prints it)", "<pre>" + Escape(RenderExplainText(view)) + "</pre>\n");
  text += "<h2 id=\"provenance\">Inputs and provenance</h2>\n<dl class=\"provenance\">\n";
  text += "<dt>Policy</dt><dd>" + Escape(view.main_path) + "</dd>\n<dt>  SHA-256</dt><dd>" + Escape(policy_sha256) + "</dd>\n";
  text += "<dt>Horizon</dt><dd>" + view.result.horizon.ToIso() + "</dd>\n";
  text += "<dt>Recoup</dt><dd>" + Escape(version) + "</dd>\n</dl>\n";
  return text + html::PageClose();
}

}  // namespace recoup::driver
