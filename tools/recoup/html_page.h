// The frame of Recoup's HTML reports: one self-contained page (styles
// inline, charts as inline SVG, no script, a Content-Security-Policy that
// forbids every request), so it opens offline in any browser and its bytes
// depend on the figures only.
#pragma once

#include <string>
#include <vector>

namespace recoup::driver::html {

// <!DOCTYPE html> up to the opening of <main>, with `title` as the page title.
std::string PageOpen(const std::string& title);
// Closes <main>, the body and the page.
std::string PageClose();

// A data table: `caption`, a header row, then rows whose first cell is a
// row header. Cells are HTML already (escape text with svg::Escape).
std::string Table(const std::string& caption, const std::vector<std::string>& header,
                  const std::vector<std::vector<std::string>>& rows, const std::string& css_class = "");

// A chart's data table folded under it: its text alternative.
std::string Folded(const std::string& summary, const std::string& content);

// "1234567.50 USD" -> "1,234,567.50 USD": digit groups in the first number.
std::string GroupDigits(const std::string& text);

}  // namespace recoup::driver::html
