#include "tools/recoup/html_page.h"

#include <fmt/format.h>

#include <cctype>

#include "tools/recoup/svg_chart.h"

namespace recoup::driver::html {
namespace {

constexpr const char* kStyle = R"(
body { margin: 0; background: #f6f7f9; color: #1a1a1a; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; }
main { max-width: 980px; margin: 0 auto; padding: 24px 28px 48px; background: #ffffff; }
h1 { font-size: 24px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 32px 0 8px; border-bottom: 1px solid #e2e4e8; padding-bottom: 4px; }
p.lead { color: #444444; margin: 0 0 12px; }
table { border-collapse: collapse; margin: 8px 0 12px; font-variant-numeric: tabular-nums; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e2e4e8; }
thead th { text-align: right; background: #f0f2f5; }
thead th:first-child, tbody th { text-align: left; font-weight: normal; }
td { text-align: right; white-space: nowrap; }
table.headline td, table.headline tbody th { font-size: 15px; padding: 6px 12px; }
table.headline tbody th { white-space: nowrap; }
table.text td, table.text thead th { text-align: left; }
div.wide { overflow-x: auto; }
.interval { display: block; color: #555555; font-size: 12px; }
.indistinct { color: #555555; }
.indistinct-note { display: block; color: #555555; font-size: 12px; font-style: italic; }
.chart { max-width: 100%; height: auto; display: block; margin: 8px 0 0; }
details { margin: 4px 0 16px; } summary { cursor: pointer; color: #0b5394; }
dl.provenance { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; }
dl.provenance dt { color: #555555; } dl.provenance dd { margin: 0; font-family: ui-monospace, monospace; font-size: 12px; word-break: break-all; }
pre { background: #f6f7f9; padding: 12px; overflow-x: auto; font-size: 12px; }
.note { color: #555555; font-size: 13px; }
)";

}  // namespace

std::string PageOpen(const std::string& title) {
  return fmt::format(
      "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
      "<meta name=\"generator\" content=\"recoup\">\n<title>{}</title>\n<style>{}</style>\n</head>\n<body>\n<main>\n",
      svg::Escape(title), kStyle);
}

std::string PageClose() { return "</main>\n</body>\n</html>\n"; }

std::string Table(const std::string& caption, const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, const std::string& css_class) {
  std::string text = css_class.empty() ? "<table>\n" : fmt::format("<table class=\"{}\">\n", css_class);
  if (!caption.empty()) text += "<caption>" + caption + "</caption>\n";
  text += "<thead><tr>";
  for (const std::string& cell : header) text += "<th scope=\"col\">" + cell + "</th>";
  text += "</tr></thead>\n<tbody>\n";
  for (const std::vector<std::string>& row : rows) {
    text += "<tr>";
    for (std::size_t c = 0; c < row.size(); ++c) text += (c == 0 ? "<th scope=\"row\">" : "<td>") + row[c] + (c == 0 ? "</th>" : "</td>");
    text += "</tr>\n";
  }
  return text + "</tbody>\n</table>\n";
}

std::string Folded(const std::string& summary, const std::string& content) {
  return "<details><summary>" + summary + "</summary>\n" + content + "</details>\n";
}

std::string GroupDigits(const std::string& text) {
  std::size_t begin = 0;
  while (begin < text.size() && !std::isdigit(static_cast<unsigned char>(text[begin]))) ++begin;
  std::size_t end = begin;
  while (end < text.size() && std::isdigit(static_cast<unsigned char>(text[end]))) ++end;
  if (end - begin <= 3) return text;
  std::string grouped;
  for (std::size_t i = begin; i < end; ++i) {
    if (i > begin && (end - i) % 3 == 0) grouped += ',';
    grouped += text[i];
  }
  return text.substr(0, begin) + grouped + text.substr(end);
}

}  // namespace recoup::driver::html
