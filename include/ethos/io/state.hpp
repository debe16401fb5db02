/// \file
/// \brief Portable binary state of the mergeable accumulators (format `ethos.state/1`): encode on one machine,
/// decode on another, merge.
///
/// A distributed run (Dask, Spark, a database's partial aggregates) builds one accumulator per partition and
/// merges them. The states travel as bytes: encode_state() writes them, decode_*_state() reads them back. A decoded
/// state equals the one encoded, count for count, so merging decoded states gives the same bits as merging the
/// originals.
///
/// The format is described in docs/state_format.md. In short:
/// - an 8-byte magic, a format version, a kind tag and the payload's length;
/// - a payload of unsigned LEB128 integers and little-endian IEEE doubles, so it reads the same on every machine
///   and compiler;
/// - a CRC-32C of everything before it.
///
/// Decoding refuses, with an ethos::error that names the byte offset, the field and the reason:
/// - truncated or over-long input;
/// - another kind, or a version this build does not read;
/// - a wrong checksum;
/// - an invalid configuration;
/// - counts that no sequence of rows could have produced: pattern counts that do not add up to the rows, a
///   histogram that disagrees with its group's listwise rows, sums above what the counts allow.
///
/// A state that decodes can be merged and analysed without overflow.
#pragma once

#include <ethos/detail/config.hpp>
#include <ethos/stats/accumulator.hpp>
#include <ethos/stats/compare.hpp>
#include <ethos/stats/moments.hpp>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace ethos {

/// What an encoded state holds (its kind tag).
enum class state_kind : std::uint16_t {
  likert = 1,  ///< a likert_accumulator, with its groups when it has them
  moments = 2, ///< a running_moments
  nps = 3,     ///< an nps_counts
};

/// The format version this build writes; it reads this one and every earlier one.
inline constexpr std::uint16_t state_format_version = 1;

/// The bytes of `acc`'s state: its configuration, rows, pattern counts (sparse) or item sums, and per group the
/// listwise histograms and score sums.
ETHOS_DECL std::vector<std::uint8_t> encode_state(const likert_accumulator& acc);
/// The bytes of `m`'s state: n, missing, and the mean and M2 as IEEE doubles (bit for bit).
ETHOS_DECL std::vector<std::uint8_t> encode_state(const running_moments& m);
/// The bytes of an eNPS item's answer counts.
ETHOS_DECL std::vector<std::uint8_t> encode_state(const nps_counts& c);

/// The kind of an encoded state, read from its header (the rest is not checked).
/// \throws ethos::error naming `source` when the bytes do not start with a state header.
ETHOS_DECL state_kind peek_state_kind(std::span<const std::uint8_t> bytes, std::string_view source = "state");

/// The accumulator encoded in `bytes`, equal (operator==) to the one encoded.
/// \throws ethos::error "source: byte N (field): reason" for anything the class comment lists.
ETHOS_DECL likert_accumulator decode_likert_state(std::span<const std::uint8_t> bytes,
                                                  std::string_view source = "state");
/// The running moments encoded in `bytes`, bit for bit. \throws ethos::error as decode_likert_state.
ETHOS_DECL running_moments decode_moments_state(std::span<const std::uint8_t> bytes, std::string_view source = "state");
/// The eNPS counts encoded in `bytes`. \throws ethos::error as decode_likert_state.
ETHOS_DECL nps_counts decode_nps_state(std::span<const std::uint8_t> bytes, std::string_view source = "state");

/// CRC-32C (Castagnoli) of `bytes`, the checksum the state format ends with.
ETHOS_DECL std::uint32_t crc32c(std::span<const std::uint8_t> bytes, std::uint32_t crc = 0) noexcept;

} // namespace ethos

#if !defined(ETHOS_SEPARATE_COMPILATION)
#include <ethos/io/impl/state.ipp>
#endif
