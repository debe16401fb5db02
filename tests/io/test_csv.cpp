// Tests of ethos/io/csv.hpp: the streaming tokenizer, reading responses against an instrument, the writer.
// Every expected line and column is counted by hand in the comment next to it.
#include "../support/checks.hpp"

#include <ethos/io/csv.hpp>
#include <ethos/measure/scoring.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

using namespace ethos;
using ethos_test::error_of;

namespace {

// Items v1, v2 (reverse) of construct voice, c1, c2 of construct care, an NPS item and a six-level item.
// Answer ranges: 1..5, 1..5, 1..5, 1..5, 0..10, 1..6.
instrument make_instrument() {
  instrument_def d;
  d.id = "pulse";
  d.title = "Pulse";
  d.scale = scales::agree5;
  d.constructs = {{"voice", "Voice", {}}, {"care", "Care", {}}};
  d.items = {{"v1", "We ask what people need.", "voice"},
             {"v2", "Nobody asks for feedback.", "voice", true},
             {"c1", "We follow up.", "care"},
             {"c2", "We keep our promises.", "care"},
             {"nps", "Recommend?", "", false, 1.0, std::nullopt, std::nullopt, response_format::nps},
             {"sl", "Level?", "", false, 1.0, std::nullopt, std::nullopt, response_format::service_level}};
  d.nps_item = "nps";
  return instrument(std::move(d));
}

const instrument& pulse() {
  static const instrument inst = make_instrument();
  return inst;
}

csv_read_result read(const std::string& text, const csv_options& options = {}) {
  std::istringstream in(text);
  return read_responses(in, "s.csv", pulse(), options);
}

std::string read_error(const std::string& text, const csv_options& options = {}) {
  return error_of([&] { (void)read(text, options); });
}

csv_options skipping(std::size_t max_reported = 10) {
  csv_options o;
  o.policy = invalid_row_policy::skip;
  o.max_reported = max_reported;
  return o;
}

std::vector<std::string> messages(const std::vector<csv_issue>& issues) {
  std::vector<std::string> out;
  for (const auto& i : issues) {
    out.push_back(i.message());
  }
  return out;
}

struct token_row {
  std::size_t line = 0;
  bool blank = false;
  std::vector<std::string> text;
  std::vector<std::pair<std::size_t, std::size_t>> where; // line, column of each field
  std::vector<bool> quoted;
  std::string error; // message of a recovered syntax error
};

std::vector<token_row> tokenize(const std::string& text, std::size_t chunk = 64 * 1024, bool recover = false) {
  std::istringstream in(text);
  csv_reader reader(in, "t.csv", {chunk, 64 * 1024 * 1024, recover});
  std::vector<token_row> out;
  for (csv_row row; reader.next(row);) {
    token_row t;
    t.line = row.line();
    t.blank = row.blank();
    if (row.error()) {
      t.error = row.error()->message();
    } else {
      for (const auto& f : row.fields()) {
        t.text.emplace_back(f.text);
        t.where.emplace_back(f.line, f.column);
        t.quoted.push_back(f.quoted);
      }
    }
    out.push_back(std::move(t));
  }
  return out;
}

std::string tokenize_error(const std::string& text, std::size_t chunk = 64 * 1024, bool recover = false,
                           std::size_t max_row = 64 * 1024 * 1024) {
  return error_of([&] {
    std::istringstream in(text);
    csv_reader reader(in, "t.csv", {chunk, max_row, recover});
    for (csv_row row; reader.next(row);) {
    }
  });
}

using pos = std::pair<std::size_t, std::size_t>;
using texts = std::vector<std::string>;

// Column positions of the row "r2,N,1,2,3,4,5,6" under the header below: id 1, team 4, v1 6, v2 8, c1 10,
// c2 12, nps 14, sl 16.
const std::string header = "id,team,v1,v2,c1,c2,nps,sl\n";
const std::string good1 = "r1,N,1,2,3,4,5,6\n";

} // namespace

TEST_CASE("csv tokenizer: quoted fields, doubled quotes, line breaks, CRLF, BOM, trailing blank lines", "[io][csv]") {
  const std::string text = "\xEF\xBB\xBF"
                           "a,\"b,c\",d\r\n"                   // line 1
                           "1,\"say \"\"hi\"\"\",\"x\ny\"\r\n" // lines 2-3
                           "\xC3\xA9,\"\",z\n"                 // line 4: e-acute is 2 bytes, 1 character
                           "\n\r\n";                           // trailing blank lines 5 and 6
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{5}, std::size_t{65536}}) {
    INFO("chunk size " << chunk);
    const auto rows = tokenize(text, chunk);
    REQUIRE(rows.size() == 3);
    // a,"b,c",d : a at 1 (after the BOM), the quote at 3, d at 9 (the quoted field spans 3..7, comma at 8)
    CHECK(rows[0].line == 1);
    CHECK(rows[0].text == texts{"a", "b,c", "d"});
    CHECK(rows[0].where == std::vector<pos>{{1, 1}, {1, 3}, {1, 9}});
    CHECK(rows[0].quoted == std::vector<bool>{false, true, false});
    // 1,"say ""hi""","x<LF>y" : the second field spans 12 characters from column 3, so the third starts at 16
    CHECK(rows[1].line == 2);
    CHECK(rows[1].text == texts{"1", "say \"hi\"", "x\ny"});
    CHECK(rows[1].where == std::vector<pos>{{2, 1}, {2, 3}, {2, 16}});
    // é,"",z : é at 1, the empty quoted field at 3, z at 6
    CHECK(rows[2].line == 4);
    CHECK(rows[2].text == texts{"\xC3\xA9", "", "z"});
    CHECK(rows[2].where == std::vector<pos>{{4, 1}, {4, 3}, {4, 6}});
    CHECK(rows[2].quoted == std::vector<bool>{false, true, false});
  }
}

TEST_CASE("csv tokenizer: blank lines between rows are returned as blank rows, never as fields", "[io][csv]") {
  const auto rows = tokenize("a\n\r\n\nb,c\n\"\"\n,\n");
  REQUIRE(rows.size() == 6);
  CHECK(rows[0].text == texts{"a"});
  CHECK((rows[1].blank && rows[1].line == 2 && rows[1].text.empty()));
  CHECK((rows[2].blank && rows[2].line == 3));
  CHECK((!rows[3].blank && rows[3].line == 4 && rows[3].text == texts{"b", "c"}));
  CHECK((rows[4].line == 5 && rows[4].text == texts{""})); // "" is one empty field, not a blank line
  CHECK((rows[5].line == 6 && rows[5].text == texts{"", ""}));
  CHECK(tokenize("").empty());
  CHECK(tokenize("\n\n\r\n").empty()); // only trailing blank lines
  CHECK(tokenize("\xEF\xBB\xBF").empty());
  // No final line break; a trailing comma gives an empty last field; a partial BOM is data.
  const auto last = tokenize("x,\"q\"\ny,");
  REQUIRE(last.size() == 2);
  CHECK(last[0].text == texts{"x", "q"});
  CHECK(last[1].text == texts{"y", ""});
  CHECK(last[1].where == std::vector<pos>{{2, 1}, {2, 3}});
  CHECK(tokenize("\xEF\xBB,x")[0].text == texts{"\xEF\xBB", "x"});
}

TEST_CASE("csv tokenizer: syntax errors name file, line and column", "[io][csv]") {
  for (const std::size_t chunk : {std::size_t{1}, std::size_t{4}, std::size_t{65536}}) {
    INFO("chunk size " << chunk);
    // The opening quote of line 2 is at column 3; the error points there, not at the end of the file.
    CHECK(tokenize_error("a,b\n1,\"xy\nz\n", chunk) == "t.csv:2:3: unterminated quoted field");
    CHECK(tokenize_error("a,b\n1,x\"y\n", chunk) == "t.csv:2:4: quote inside an unquoted field");
    CHECK(tokenize_error("a,b\n1,\"x\"y\n", chunk) == "t.csv:2:6: characters after a closing quote");
    // A two-byte é first: the stray y is the 7th byte but the 6th character.
    CHECK(tokenize_error("\xC3\xA9,\"x\"y\n", chunk) == "t.csv:1:6: characters after a closing quote");
    CHECK(tokenize_error("a,b\r1,2\n", chunk) == "t.csv:1:4: carriage return not followed by a line feed");
    CHECK(tokenize_error("a,\"b\"\r1\n", chunk) == "t.csv:1:6: carriage return not followed by a line feed");
    CHECK(tokenize_error("a,b\r", chunk) == "t.csv:1:4: carriage return not followed by a line feed");
    // A quoted field over two lines, then junk after its closing quote on line 3 (y at 1, quote at 2, z at 3).
    CHECK(tokenize_error("a\n\"x\ny\"z\n", chunk) == "t.csv:3:3: characters after a closing quote");
  }
  CHECK(tokenize_error("a,b\n123456789012,x\n", 4, false, 8) == "t.csv:2:1: row longer than 8 bytes");
  try {
    (void)tokenize("a\n\"open");
    FAIL("expected csv_error");
  } catch (const csv_error& e) {
    CHECK(e.file() == "t.csv");
    CHECK(e.line() == 2);
    CHECK(e.column() == 1);
    CHECK(e.reason() == "unterminated quoted field");
    CHECK(e.issue().message() == e.what());
  }
}

TEST_CASE("csv tokenizer: recovery resynchronises only at a line end nothing can move", "[io][csv]") {
  // Safe: the rest of line 2 holds no quote, so row 3 certainly starts on line 3.
  const auto rows = tokenize("a,b\n1,x\"y,2\n3,4\n", 3, true);
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].error == "t.csv:2:4: quote inside an unquoted field");
  CHECK((rows[2].line == 3 && rows[2].text == texts{"3", "4"}));
}

TEST_CASE("csv tokenizer: recovery refuses to guess", "[io][csv]") {
  // A quote later on the line could open a field that runs into the next lines: the original error is thrown.
  CHECK(tokenize_error("a,b\n1,x\"y,\"z\n2,3\"\n", 64, true) == "t.csv:2:4: quote inside an unquoted field");
  CHECK(tokenize_error("a,b\n\"1\"x,\"2\"\n", 64, true) == "t.csv:2:4: characters after a closing quote");
  // The row began on an earlier line (a quoted line break): where it was meant to end is unknown.
  CHECK(tokenize_error("a\n\"x\ny\"z\n", 64, true) == "t.csv:3:3: characters after a closing quote");
  // A lone CR after the fault.
  CHECK(tokenize_error("a,b\n1,x\"y\r2\n", 64, true) == "t.csv:2:4: quote inside an unquoted field");
  // These never recover.
  CHECK(tokenize_error("a,b\n1,\"xy\n", 64, true) == "t.csv:2:3: unterminated quoted field");
  CHECK(tokenize_error("a,b\r1,2\n", 64, true) == "t.csv:1:4: carriage return not followed by a line feed");
  // At the end of the input the row simply ends.
  const auto rows = tokenize("a\n1\"\n", 64, true);
  REQUIRE(rows.size() == 2);
  CHECK(rows[1].error == "t.csv:2:2: quote inside an unquoted field");
}

TEST_CASE("csv tokenizer: a quoted field longer than a chunk", "[io][csv]") {
  // 100 000 characters with commas, doubled quotes and line breaks, across the 64 KiB chunk boundary.
  std::string value;
  for (int i = 0; i < 20000; ++i) {
    value += (i % 7 == 0) ? "a,\"\nb" : "xy,zw";
  }
  REQUIRE(value.size() == 100000);
  std::string escaped;
  std::size_t breaks = 0;
  for (const char c : value) {
    escaped += c;
    if (c == '"') {
      escaped += '"';
    }
    breaks += c == '\n' ? 1U : 0U;
  }
  const auto rows = tokenize("k,v\n1,\"" + escaped + "\",end\n2,x\n");
  REQUIRE(rows.size() == 3);
  CHECK(rows[1].text[1] == value);
  CHECK(rows[1].text[2] == "end");
  CHECK(rows[2].line == 3 + breaks);
  CHECK(rows[2].text == texts{"2", "x"});
}

TEST_CASE("csv tokenizer property: anything csv_writer writes reads back unchanged", "[io][csv]") {
  std::mt19937 rng(20240611);
  const std::vector<std::string> pieces{"a", "Z", "7", " ", "\t", ",", "\"", "\n", "\r", "\r\n", "\xC3\xA9", "''"};
  std::uniform_int_distribution<std::size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> len(0, 6);
  std::uniform_int_distribution<int> width(1, 5);
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<std::vector<std::string>> table;
    for (int r = 0; r < 40; ++r) {
      std::vector<std::string> row(static_cast<std::size_t>(width(rng)));
      for (auto& f : row) {
        for (int k = len(rng); k > 0; --k) {
          f += pieces[piece(rng)];
        }
      }
      table.push_back(std::move(row));
    }
    std::ostringstream out;
    csv_writer w(out, trial % 2 == 0 ? "\n" : "\r\n");
    std::vector<std::size_t> lines; // a row starts one line after the previous one plus its quoted line breaks
    std::size_t line = 1;
    for (const auto& row : table) {
      lines.push_back(line);
      for (const auto& f : row) {
        w.field(f);
        line += static_cast<std::size_t>(std::count(f.begin(), f.end(), '\n'));
      }
      w.end_row();
      ++line;
    }
    CHECK(w.rows() == table.size());
    for (const std::size_t chunk : {std::size_t{1}, std::size_t{3}, std::size_t{64}, std::size_t{65536}}) {
      const auto rows = tokenize(out.str(), chunk);
      REQUIRE(rows.size() == table.size());
      for (std::size_t r = 0; r < table.size(); ++r) {
        INFO("trial " << trial << ", chunk " << chunk << ", row " << r);
        CHECK(rows[r].text == table[r]);
        CHECK(rows[r].line == lines[r]);
      }
    }
  }
}

TEST_CASE("csv writer: quoting, numbers, missing values", "[io][csv]") {
  std::ostringstream out;
  csv_writer w(out);
  w.field("plain").field("a,b").field("say \"hi\"").field(" lead").field("trail\t").field("two\nlines").end_row();
  w.field("").end_row();         // one empty field: "" so that it is not a blank line
  w.empty().field("").end_row(); // two empty fields: one comma
  w.field(2.5).field(std::optional<double>{}).field(std::nan("")).field(-3).field(std::size_t{42}).end_row();
  w.row({"x", "cr\r"});
  CHECK(out.str() == "plain,\"a,b\",\"say \"\"hi\"\"\",\" lead\",\"trail\t\",\"two\nlines\"\n"
                     "\"\"\n"
                     ",\n"
                     "2.5,,,-3,42\n"
                     "x,\"cr\r\"\n");
  CHECK(w.rows() == 5);
  CHECK(error_of([&] { w.end_row(); }) == "csv writer: row 6 has no fields");
  CHECK(csv_writer::needs_quotes("\xEF\xBB\xBFid")); // would read back without its BOM
  CHECK_FALSE(csv_writer::needs_quotes("in side"));

  std::ostringstream crlf;
  csv_writer(crlf, "\r\n").row({"a", "b"});
  CHECK(crlf.str() == "a,b\r\n");

  // Shortest text that reads back to the same double.
  for (const double x : {0.1 + 0.2, 1.0 / 3.0, 1e300, 5e-324, -2.0 / 7.0, 4.0}) {
    std::ostringstream s;
    csv_writer(s).field(x).end_row();
    const std::string t = s.str().substr(0, s.str().size() - 1);
    double back = 0.0;
    const auto [ptr, ec] = std::from_chars(t.data(), t.data() + t.size(), back);
    CHECK(ec == std::errc{});
    CHECK(ptr == t.data() + t.size());
    CHECK(back == x);
  }
}

TEST_CASE("read_responses: a valid file", "[io][csv]") {
  // Columns in another order than the instrument's; spaces around answers; quoted labels and answers.
  const auto r = read("\xEF\xBB\xBF"
                      "team,id,sl,nps,c2,c1,v2,v1\r\n"
                      "North,r1,6,10,4,4,1,5\r\n"
                      "\"South, East\",r2,1,0,3,, ,4\r\n"
                      "North,r3,\" 3 \",7,2,2,5,1\r\n"
                      "\r\n"
                      "\r\n");
  CHECK(r.rows == 3);
  CHECK(r.used == 3);
  CHECK(r.invalid == 0);
  CHECK(r.first_invalid.empty());
  const response_matrix& m = r.matrix;
  REQUIRE(m.columns() == 6);
  CHECK(m.item_ids() == std::vector<std::string>{"v1", "v2", "c1", "c2", "nps", "sl"});
  CHECK(m.respondent_ids() == std::vector<std::string>{"r1", "r2", "r3"});
  // r1: v1 5, v2 1, c1 4, c2 4, nps 10, sl 6
  CHECK(m.at(0, 0) == 5);
  CHECK(m.at(0, 1) == 1);
  CHECK(m.at(0, 4) == 10);
  CHECK(m.at(0, 5) == 6);
  // r2: v2 " " and c1 "" are missing
  CHECK(m.at(1, 0) == 4);
  CHECK(m.is_missing(1, 1));
  CHECK(m.is_missing(1, 2));
  CHECK(m.at(1, 3) == 3);
  CHECK(m.at(1, 4) == 0);
  CHECK(m.at(2, 5) == 3);
  REQUIRE(m.groups().size() == 1);
  CHECK(m.groups()[0].name == "team");
  CHECK(m.groups()[0].levels == std::vector<std::string>{"North", "South, East"});
  CHECK(m.groups()[0].codes == std::vector<std::uint32_t>{0, 1, 0});
  CHECK(m.waves() == std::vector<int>{0, 0, 0});
}

TEST_CASE("read_responses: ids, waves and metadata columns", "[io][csv]") {
  SECTION("without an id column the ids are the data row numbers") {
    const auto r = read("v1,v2,c1,c2,nps,sl\n1,1,1,1,1,1\n2,2,2,2,2,2\n");
    CHECK(r.matrix.respondent_ids() == std::vector<std::string>{"1", "2"});
    CHECK(r.matrix.groups().empty());
    csv_options o;
    o.id_column = "";
    const auto numbered = read(header + good1, o); // "id" is then a metadata column like any other
    CHECK(numbered.matrix.respondent_ids() == std::vector<std::string>{"1"});
    REQUIRE(numbered.matrix.groups().size() == 2);
    CHECK(numbered.matrix.groups()[0].name == "id");
  }
  SECTION("skipped rows keep their numbers") {
    const auto r = read("v1,v2,c1,c2,nps,sl\n1,1,1,1,1,1\n9,2,2,2,2,2\n3,3,3,3,3,3\n", skipping());
    CHECK(r.matrix.respondent_ids() == std::vector<std::string>{"1", "3"});
    CHECK(messages(r.first_invalid) == texts{"s.csv:3:1: item 'v1': answer 9 is outside 1..5"});
  }
  SECTION("a wave column") {
    csv_options o;
    o.wave_column = "wave";
    const auto r = read("id,wave,v1,v2,c1,c2,nps,sl\na,1,1,1,1,1,1,1\nb, 2 ,1,1,1,1,1,1\nc,-3,,,,,,\n", o);
    CHECK(r.matrix.waves() == std::vector<int>{1, 2, -3});
    CHECK(r.matrix.groups().empty());
    // id at 1, wave at 3
    CHECK(read_error("id,wave,v1,v2,c1,c2,nps,sl\na,,1,1,1,1,1,1\n", o) ==
          "s.csv:2:3: wave column 'wave': missing value");
    CHECK(read_error("id,wave,v1,v2,c1,c2,nps,sl\na,w2,1,1,1,1,1,1\n", o) ==
          "s.csv:2:3: wave column 'wave': non-numeric value 'w2'");
    CHECK(read_error("id,wave,v1,v2,c1,c2,nps,sl\na,99999999999,1,1,1,1,1,1\n", o) ==
          "s.csv:2:3: wave column 'wave': value '99999999999' does not fit an int");
    CHECK(read_error(header + good1, o) == "s.csv:1:1: missing wave column 'wave'");
  }
  SECTION("every other column is a metadata column, in header order") {
    const auto r = read("dept,id,v1,v2,c1,c2,nps,sl,team\nOps,r1,1,1,1,1,1,1,N\n");
    REQUIRE(r.matrix.groups().size() == 2);
    CHECK(r.matrix.groups()[0].name == "dept");
    CHECK(r.matrix.groups()[1].name == "team");
    CHECK(r.matrix.groups()[1].label(0) == "N");
  }
  SECTION("listed metadata columns: exactly those, in the listed order") {
    csv_options o;
    o.metadata_columns = std::vector<std::string>{"team", "dept"};
    const auto r = read("dept,id,v1,v2,c1,c2,nps,sl,team\nOps,r1,1,1,1,1,1,1,N\n", o);
    REQUIRE(r.matrix.groups().size() == 2);
    CHECK(r.matrix.groups()[0].name == "team");
    CHECK(r.matrix.groups()[0].label(0) == "N");
    CHECK(r.matrix.groups()[1].name == "dept");
    CHECK(r.matrix.groups()[1].label(0) == "Ops");
    // "id,team,site": site starts at column 9
    CHECK(read_error("id,team,site,dept,v1,v2,c1,c2,nps,sl\n", o) == "s.csv:1:9: unknown column 'site'");
    CHECK(read_error(header, o) == "s.csv:1:1: missing metadata column 'dept'");
    o.metadata_columns = std::vector<std::string>{};
    CHECK(read_error(header, o) == "s.csv:1:4: unknown column 'team'");
  }
  SECTION("contradictory options") {
    csv_options o;
    o.wave_column = "id";
    CHECK(read_error(header, o) == "csv options: the wave column and the id column are both 'id'");
    o = {};
    o.metadata_columns = std::vector<std::string>{"team", "v1"};
    CHECK(read_error(header, o) == "csv options: metadata column 'v1' is an item of the instrument");
    o.metadata_columns = std::vector<std::string>{"team", "team"};
    CHECK(read_error(header, o) == "csv options: metadata column 'team' is listed twice");
    o.metadata_columns = std::vector<std::string>{"id"};
    CHECK(read_error(header, o) == "csv options: metadata column 'id' is also the id or the wave column");
  }
}

TEST_CASE("read_responses: a column that looks like the ids is named when there is no id column", "[io][csv]") {
  // The id column is called 'respondent': read without a word, the ids would be row numbers.
  const std::string survey = "respondent,team,v1,v2,c1,c2,nps,sl\n"
                             "r1,a,1,2,3,4,5,6\n"
                             "r2,a,2,2,2,2,2,2\n"
                             "r3,b,,,,,,\n";
  SECTION("by default the ids are row numbers, and a warning names the column and the option") {
    const auto r = read(survey);
    CHECK(r.row_number_ids);
    CHECK(r.matrix.respondent_ids() == std::vector<std::string>{"1", "2", "3"});
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].code == warning_code::likely_id_column);
    CHECK(r.warnings[0].message ==
          "s.csv: column 'respondent' has a unique value in every row and looks like the respondent ids, but it is "
          "read as metadata and the ids are row numbers, as there is no id column 'id'; to use it, set "
          "csv_options::id_column (ethos-assess: --id-column respondent)");
  }
  SECTION("csv_options::id_column set to it: its values are the ids, and no warning") {
    csv_options o;
    o.id_column = "respondent";
    const auto r = read(survey, o);
    CHECK_FALSE(r.row_number_ids);
    CHECK(r.matrix.respondent_ids() == std::vector<std::string>{"r1", "r2", "r3"});
    CHECK(r.matrix.groups().size() == 1);
    CHECK(r.warnings.empty());
  }
  SECTION("row numbers asked for (an empty id column): no warning") {
    csv_options o;
    o.id_column = "";
    CHECK(read(survey, o).warnings.empty());
  }
  SECTION("a configured id column that is absent: the warning names it") {
    csv_options o;
    o.id_column = "ident";
    const auto r = read(survey, o);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message.find("there is no id column 'ident'") != std::string::npos);
  }
  SECTION("values repeated or missing somewhere, or a name that is not id-like: no warning") {
    CHECK(read("respondent,team,v1,v2,c1,c2,nps,sl\nr1,a,1,1,1,1,1,1\nr1,b,1,1,1,1,1,1\n").warnings.empty());
    CHECK(read("respondent,team,v1,v2,c1,c2,nps,sl\nr1,a,1,1,1,1,1,1\n ,b,1,1,1,1,1,1\n").warnings.empty());
    CHECK(read("team,v1,v2,c1,c2,nps,sl\na,1,1,1,1,1,1\nb,1,1,1,1,1,1\n").warnings.empty());
    CHECK(read("respondent,v1,v2,c1,c2,nps,sl\n").warnings.empty()); // no rows: nothing to go by
  }
  SECTION("with an id column there is nothing to warn of") {
    CHECK(read("id,respondent,v1,v2,c1,c2,nps,sl\nx,r1,1,1,1,1,1,1\n").warnings.empty());
  }
  SECTION("the first of several candidates is named; rows left out do not count") {
    const auto r = read("person,employee_id,v1,v2,c1,c2,nps,sl\np,e1,1,1,1,1,1,1\np,e2,1,1,1,1,1,1\n"
                        "q,e2,9,1,1,1,1,1\n",
                        skipping());
    CHECK(r.invalid == 1);
    REQUIRE(r.warnings.size() == 1);
    CHECK(r.warnings[0].message.find("column 'employee_id'") != std::string::npos);
  }
  SECTION("names that read like ids") {
    for (const char* name : {"id", "ID", "respondent", "Respondent_ID", "person", "person_id", "employee",
                             "employee id", "participant", "user_id", "emp-id", "respondentId", "EmployeeID"}) {
      INFO(name);
      CHECK(detail::looks_like_id_column(name));
    }
    for (const char* name : {"team", "idea", "paid", "grid", "department", "personality", "_id", "tenure"}) {
      INFO(name);
      CHECK_FALSE(detail::looks_like_id_column(name));
    }
  }
}

TEST_CASE("read_responses: header errors are always thrown", "[io][csv]") {
  for (const auto& o : {csv_options{}, skipping()}) {
    CHECK(read_error("", o) == "s.csv:1:1: missing header: the file has no rows");
    CHECK(read_error("\n\n", o) == "s.csv:1:1: missing header: the file has no rows");
    CHECK(read_error("\n" + header, o) == "s.csv:1:1: blank line where the header should be");
    // id(1) v1(4) v2(7) c1(10) c2(13) nps(16) sl(20) v1(23)
    CHECK(read_error("id,v1,v2,c1,c2,nps,sl,v1\n", o) == "s.csv:1:23: duplicate column 'v1' (columns 2 and 8)");
    CHECK(read_error("id,,v1,v2,c1,c2,nps,sl\n", o) == "s.csv:1:4: empty column name");
    CHECK(read_error("id,v1,\" \",v2,c1,c2,nps,sl\n", o) == "s.csv:1:7: empty column name");
    CHECK(read_error("id,v1,v2,c1,nps,sl\n", o) == "s.csv:1:1: no column for item 'c2'");
    CHECK(read_error("id,V1,v2,c1,c2,nps,sl\n", o) == "s.csv:1:1: no column for item 'v1'"); // ids are case-sensitive
    // A syntax error in the header is not skipped even when rows would be: x at 1, the quote at 2.
    CHECK(read_error("x\"y,v1\n", o) == "s.csv:1:2: quote inside an unquoted field");
  }
}

TEST_CASE("read_responses: row errors under the fail policy", "[io][csv]") {
  const auto row_error = [](const std::string& row) { return read_error(header + good1 + row); };
  CHECK(row_error("r2,N,1,abc,3,4,5,6\n") == "s.csv:3:8: item 'v2': non-numeric answer 'abc'");
  CHECK(row_error("r2,N,4.0,2,3,4,5,6\n") == "s.csv:3:6: item 'v1': non-numeric answer '4.0'");
  CHECK(row_error("r2,N,+4,2,3,4,5,6\n") == "s.csv:3:6: item 'v1': non-numeric answer '+4'");
  CHECK(row_error("r2,N,1,2,3 3,4,5,6\n") == "s.csv:3:10: item 'c1': non-numeric answer '3 3'");
  CHECK(row_error("r2,N,1,2,7,4,5,6\n") == "s.csv:3:10: item 'c1': answer 7 is outside 1..5");
  CHECK(row_error("r2,N,1,2,3,4,11,6\n") == "s.csv:3:14: item 'nps': answer 11 is outside 0..10");
  CHECK(row_error("r2,N,1,2,3,4,5,0\n") == "s.csv:3:16: item 'sl': answer 0 is outside 1..6");
  CHECK(row_error("r2,N,1,2,3,-1,5,6\n") == "s.csv:3:12: item 'c2': answer -1 is outside 1..5");
  CHECK(row_error("r2,N,99999999999,2,3,4,5,6\n") == "s.csv:3:6: item 'v1': answer 99999999999 is outside 1..5");
  CHECK(row_error("r2,N," + std::string(50, '7') + ",2,3,4,5,6\n") ==
        "s.csv:3:6: item 'v1': answer " + std::string(40, '7') + "... is outside 1..5");
  // Too few fields: the row start. Too many: the first extra field, after "r2,N,1,2,3,4,5,6," at column 18.
  CHECK(row_error("r2,N,1,2,3,4,5\n") == "s.csv:3:1: ragged row: 7 fields, the header has 8");
  CHECK(row_error("r2,N,1,2,3,4,5,6,7\n") == "s.csv:3:18: ragged row: 9 fields, the header has 8");
  CHECK(row_error(",N,1,2,3,4,5,6\n") == "s.csv:3:1: empty respondent id");
  CHECK(row_error("\"  \",N,1,2,3,4,5,6\n") == "s.csv:3:1: empty respondent id");
  CHECK(row_error("r1,N,1,2,3,4,5,6\n") == "s.csv:3:1: duplicate respondent id 'r1' (first on line 2)");
  CHECK(row_error("\nr2,N,1,2,3,4,5,6\n") == "s.csv:3:1: blank line");
  CHECK(row_error("r2,N,1,x\"y,3,4,5,6\n") == "s.csv:3:9: quote inside an unquoted field");
  // The leftmost problem is the one reported: v1 (column 6) before nps (column 14).
  CHECK(row_error("r2,N,0,2,3,4,11,6\n") == "s.csv:3:6: item 'v1': answer 0 is outside 1..5");
  // A long cell is cut short in the message.
  CHECK(row_error("r2,N,1,2,3,4,5," + std::string(100, 'z') + "\n") ==
        "s.csv:3:16: item 'sl': non-numeric answer '" + std::string(40, 'z') + "...'");
  // Control characters are escaped in messages: they would break the line, and a NUL would end what().
  CHECK(row_error("r2,N,1,2,3,4,5,\"x\ty\nz\"\n") == "s.csv:3:16: item 'sl': non-numeric answer 'x\\ty\\nz'");
  CHECK(row_error(std::string("r2,N,1,2,3,4,5,a\0\x1f\n", 19)) ==
        "s.csv:3:16: item 'sl': non-numeric answer 'a\\x00\\x1f'");
  // A quoted field over two lines puts the following cells on line 4: S and the quote at 1-2, then 1 at 4,
  // 2 at 6, 3 at 8, 4 at 10 and nps at 12.
  CHECK(row_error("r2,\"N\nS\",1,2,3,4,11,6\n") == "s.csv:4:12: item 'nps': answer 11 is outside 0..10");
}

TEST_CASE("read_responses: row errors under the skip policy", "[io][csv]") {
  const std::string text = header + good1 +        // line 2
                           "r2,N,1,abc,3,4,5,6\n"  // line 3: non-numeric
                           "r3,N,1,2,3,4,5\n"      // line 4: ragged
                           "\n"                    // line 5: blank
                           "r1,N,1,2,3,4,5,6\n"    // line 6: duplicate of line 2
                           "r6,S,5,5,5,5,10,6\n"   // line 7: fine
                           ",N,1,2,3,4,5,6\n"      // line 8: empty id
                           "r8,N,1,x\"y,3,4,5,6\n" // line 9: syntax error, resynchronised
                           "r2,N,1,2,3,4,0,1\n"    // line 10: fine (the r2 of line 3 was never used)
                           "r2,N,1,2,3,4,5,6\n"    // line 11: duplicate of line 10
                           "r9,N,1,2,9,4,5,6\n"    // line 12: out of range
                           "\n\n";                 // trailing blank lines: not rows
  const auto all = read(text, skipping());
  CHECK(all.rows == 11);
  CHECK(all.used == 3);
  CHECK(all.invalid == 8);
  CHECK(all.rows == all.used + all.invalid);
  CHECK(all.matrix.respondent_ids() == std::vector<std::string>{"r1", "r6", "r2"});
  CHECK(all.matrix.at(2, 4) == 0);
  CHECK(all.matrix.group("team")->levels == std::vector<std::string>{"N", "S"});
  CHECK(messages(all.first_invalid) ==
        texts{"s.csv:3:8: item 'v2': non-numeric answer 'abc'", "s.csv:4:1: ragged row: 7 fields, the header has 8",
              "s.csv:5:1: blank line", "s.csv:6:1: duplicate respondent id 'r1' (first on line 2)",
              "s.csv:8:1: empty respondent id", "s.csv:9:9: quote inside an unquoted field",
              "s.csv:11:1: duplicate respondent id 'r2' (first on line 10)",
              "s.csv:12:10: item 'c1': answer 9 is outside 1..5"});
  CHECK(all.first_invalid[0] == csv_issue{"s.csv", 3, 8, "item 'v2': non-numeric answer 'abc'"});

  SECTION("only the first max_reported problems are kept, all are counted") {
    const auto capped = read(text, skipping(2));
    CHECK(capped.invalid == 8);
    CHECK(capped.used == 3);
    CHECK(messages(capped.first_invalid) ==
          texts{"s.csv:3:8: item 'v2': non-numeric answer 'abc'", "s.csv:4:1: ragged row: 7 fields, the header has 8"});
    CHECK(read(text, skipping(0)).first_invalid.empty());
  }
  SECTION("a duplicate id left of another problem is the one reported, right of it it is not") {
    // Line 3: the id (column 1) is a duplicate and sl (column 16) is out of range.
    CHECK(read_error(header + good1 + "r1,N,1,2,3,4,5,9\n") ==
          "s.csv:3:1: duplicate respondent id 'r1' (first on line 2)");
    // The id last: "N,9,..." has v1 at column 3; in "N,1,2,3,4,5,6,r1" the id starts at column 15.
    const std::string id_last = "team,v1,v2,c1,c2,nps,sl,id\nN,1,2,3,4,5,6,r1\nN,9,2,3,4,5,6,r1\nN,1,2,3,4,5,6,r1\n";
    const auto r = read(id_last, skipping());
    CHECK(r.used == 1);
    CHECK(messages(r.first_invalid) == texts{"s.csv:3:3: item 'v1': answer 9 is outside 1..5",
                                             "s.csv:4:15: duplicate respondent id 'r1' (first on line 2)"});
  }
  SECTION("wave problems and extra fields are skipped like the others") {
    csv_options o = skipping();
    o.wave_column = "wave";
    // "a,x,..." has the wave at 3; "c,1,1,1,1,1,1,1,1" has its extra field at 17 (8 fields of 1 character).
    const auto r =
        read("id,wave,v1,v2,c1,c2,nps,sl\na,x,1,1,1,1,1,1\nb,,1,1,1,1,1,1\nc,1,1,1,1,1,1,1,1\nd,4,1,1,1,1,1,1\n", o);
    CHECK(r.rows == 4);
    CHECK(r.used == 1);
    CHECK(r.matrix.waves() == std::vector<int>{4});
    CHECK(messages(r.first_invalid) == texts{"s.csv:2:3: wave column 'wave': non-numeric value 'x'",
                                             "s.csv:3:3: wave column 'wave': missing value",
                                             "s.csv:4:17: ragged row: 9 fields, the header has 8"});
  }
  SECTION("the same file under the fail policy stops at line 3") {
    CHECK(read_error(text) == "s.csv:3:8: item 'v2': non-numeric answer 'abc'");
  }
  SECTION("a syntax error the tokenizer cannot resynchronise after is thrown even under skip") {
    CHECK(read_error(header + "r1,N,1,x\"y,\"3\",4,5,6\n", skipping()) == "s.csv:2:9: quote inside an unquoted field");
    CHECK(read_error(header + "r1,N,1,\"2\n", skipping()) == "s.csv:2:8: unterminated quoted field");
  }
}

TEST_CASE("read_responses: the result does not depend on the chunk size", "[io][csv]") {
  const std::string text = "\xEF\xBB\xBF" + header + good1 + "\"r\"\"2\",\"S\nouth\",5,\"\",1,2,3,4\r\nr3,X,,,,,,\n";
  const auto expected = read(text);
  REQUIRE(expected.used == 3);
  CHECK(expected.matrix.respondent_ids()[1] == "r\"2");
  CHECK(expected.matrix.group("team")->label(1) == "S\nouth");
  for (std::size_t chunk = 1; chunk <= 9; ++chunk) {
    csv_options o;
    o.chunk_size = chunk;
    const auto r = read(text, o);
    INFO("chunk size " << chunk);
    CHECK(r.matrix.respondent_ids() == expected.matrix.respondent_ids());
    CHECK(r.matrix.group("team")->levels == expected.matrix.group("team")->levels);
    for (std::size_t j = 0; j < 6; ++j) {
      CHECK(std::vector<std::uint8_t>(r.matrix.column(j).begin(), r.matrix.column(j).end()) ==
            std::vector<std::uint8_t>(expected.matrix.column(j).begin(), expected.matrix.column(j).end()));
    }
    // An error across chunk boundaries still points at its cell: line 3, "r2,N,1,2,3,4,5,6,7" extra at 18.
    CHECK(read_error(header + good1 + "r2,N,1,2,3,4,5,6,7\n", o) ==
          "s.csv:3:18: ragged row: 9 fields, the header has 8");
  }
}

TEST_CASE("read_responses_file: opens the file or says why not", "[io][csv]") {
  const auto dir = std::filesystem::temp_directory_path() / "ethos_test_csv";
  std::filesystem::create_directories(dir);
  const auto path = dir / "responses.csv";
  {
    std::ofstream out(path, std::ios::binary);
    out << header << good1;
  }
  const auto r = read_responses_file(path, pulse());
  CHECK(r.used == 1);
  const auto missing = dir / "nope.csv";
  CHECK(error_of([&] { (void)read_responses_file(missing, pulse()); }) ==
        missing.string() + ": cannot open: No such file or directory");
  CHECK(error_of([&] { (void)read_responses_file(dir, pulse()); }) == dir.string() + ": cannot open: Is a directory");
  try {
    (void)read_responses_file(missing, pulse());
  } catch (const csv_error& e) {
    CHECK(e.line() == 0);
    CHECK(e.file() == missing.string());
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("write_person_scores: scores written and read back", "[io][csv]") {
  // voice = mean of v1 and 6 - v2; care = mean of c1, c2; one answer is enough for a score (half of 2).
  // r1: voice (5 + 5) / 2 = 5, care (4 + 4) / 2 = 4. r2: voice (4 + 4) / 2 = 4, care 3 (c2 missing).
  // r3: no voice answer, care (1 + 2) / 2 = 1.5.
  const auto r = read(header + "r1,North,5,1,4,4,10,6\nr2,South,4,2,3,,9,5\nr3,North,,,1,2,0,1\n");
  const scoring_result s = score(pulse(), r.matrix);
  std::ostringstream out;
  write_person_scores(out, pulse(), r.matrix, s);
  CHECK(out.str() == "id,team,voice,care\n"
                     "r1,North,5,4\n"
                     "r2,South,4,3\n"
                     "r3,North,,1.5\n");

  SECTION("a larger survey with weights: every score reads back to the same double") {
    instrument_def d = instrument::to_def(pulse().view());
    d.items[2].weight = 3.0; // c1 counts three times: care scores like 7/3 are not short decimals
    const instrument weighted(d);
    std::mt19937 rng(7);
    std::uniform_int_distribution<int> answer(0, 5); // 0: missing
    std::ostringstream csv;
    csv << "id,team,v1,v2,c1,c2,nps,sl\n";
    for (int i = 0; i < 200; ++i) {
      csv << "p" << i << "," << (i % 3 == 0 ? "\"A, b\"" : "C");
      for (int j = 0; j < 4; ++j) {
        const int a = answer(rng);
        csv << ",";
        if (a > 0) {
          csv << a;
        }
      }
      csv << ",5,3\n";
    }
    std::istringstream in(csv.str());
    const auto m = read_responses(in, "big.csv", weighted).matrix;
    const scoring_result ws = score(weighted, m);
    std::stringstream written;
    write_person_scores(written, weighted, m, ws);
    csv_reader reader(written, "scores.csv");
    csv_row row;
    REQUIRE(reader.next(row));
    REQUIRE(row.size() == 4);
    CHECK(row[3].text == "care");
    std::size_t n = 0;
    for (; reader.next(row); ++n) {
      REQUIRE(row.size() == 4);
      CHECK(row[0].text == m.respondent_ids()[n]);
      CHECK(row[1].text == m.group("team")->label(n));
      for (std::size_t c = 0; c < 2; ++c) {
        const auto expected = ws.persons.score(c, n);
        const std::string_view t = row[2 + c].text;
        if (!expected) {
          CHECK(t.empty());
          continue;
        }
        double back = 0.0;
        CHECK(std::from_chars(t.data(), t.data() + t.size(), back).ec == std::errc{});
        CHECK(back == *expected);
      }
    }
    CHECK(n == 200);
  }
  SECTION("scores of another matrix are refused") {
    const auto other = read(header + good1);
    CHECK(error_of([&] { write_person_scores(out, pulse(), other.matrix, s); }) ==
          "write_person_scores: scores for 2 constructs and 3 respondents do not match 2 constructs and 1 "
          "respondents");
  }
}
