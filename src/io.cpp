// ethos compiled library: the io layer's definitions.
#include <ethos/io/impl/csv_reader.ipp>
#include <ethos/io/impl/csv_writer.ipp>
#include <ethos/io/impl/internal_service_csv.ipp>
#include <ethos/io/impl/responses_csv.ipp>
#include <ethos/io/impl/results_csv.ipp>
#include <ethos/io/impl/state.ipp>
#include <ethos/io/impl/unit_table_csv.ipp>
#include <ethos/io/impl/units_csv.ipp>
