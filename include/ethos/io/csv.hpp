/// \file
/// \brief Streaming RFC 4180 CSV: a tokenizer, survey responses read against an instrument, a writer, and the
/// result writers (an umbrella of its four parts).
///
/// - io/csv_reader.hpp: csv_reader, csv_row, csv_field, csv_error (the tokenizer)
/// - io/responses_csv.hpp: read_responses, csv_options, csv_read_result
/// - io/csv_writer.hpp: csv_writer
/// - io/results_csv.hpp: write_person_scores, write_group_results, write_unit_results
#pragma once

#include <ethos/io/csv_reader.hpp>
#include <ethos/io/csv_writer.hpp>
#include <ethos/io/responses_csv.hpp>
#include <ethos/io/results_csv.hpp>
