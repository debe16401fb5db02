// A reference data file (tests/reference/data/<name>.csv) as a response matrix of an instrument: each item's
// column by the item's id (an empty cell is a missing answer), one metadata column, the first column the ids.
#pragma once

#include "fixture.hpp"

#include <ethos/measure/builder.hpp>
#include <ethos/measure/instrument.hpp>
#include <ethos/measure/response_matrix.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ethos_test {

inline ethos::response_matrix responses_of(const ethos::instrument& inst, const std::string& data_name,
                                           const std::string& group_column) {
  const auto csv = read_csv(reference_data(data_name));
  ethos::response_builder b(inst, {group_column});
  const auto gcol = csv.column(group_column);
  for (const auto& row : csv.rows) {
    std::vector<std::optional<int>> answers;
    for (const auto& it : inst.definition().items) {
      const auto& cell = row[csv.column(it.id)];
      answers.push_back(cell.empty() ? std::nullopt : std::optional<int>(std::stoi(cell)));
    }
    const std::vector<std::string_view> groups{row[gcol]};
    b.add(row[0], answers, groups);
  }
  return b.finish();
}

} // namespace ethos_test
