# Golden values for ethos's assessment (ethos/org/assessment.hpp, the results JSON of ethos-assess) on the
# committed dataset data/likert5.csv, computed with base R and multilevel 2.7.
#
# Run from anywhere:   Rscript tests/reference/make_fixtures_assessment.R
# Writes fixtures/assessment_likert5.txt next to this script (format as in make_fixtures.R).
#
# The instrument: construct c1 = i1..i4 (i3 reverse-keyed), construct c2 = j1..j3, 'outcome' is the 0-10
# NPS item; 5-point scale with favourable 4-5, unfavourable 1-2. Grouped by 'group', minimum group size K.
# Disclosure rules (README, "Anonymity"): a group with fewer than K rows shows nothing; while the rows outside
# shown groups number 1..K-1, the smallest shown group (first by label on ties) is hidden as well. Then, per
# construct, the same two rules on the respondents with a score on it: a shown group with 1..K-1 of them hides
# the construct, and while the scored respondents outside the groups showing it number 1..K-1 the smallest such
# group (by scored count, first by label) hides it too. ICC, the rwg(j) summary and the group figures use the
# groups showing the construct only. Every figure of a construct, overall or per group, is over the respondents with
# a score on it (at least half its items answered): the mean and SD, the favourable shares (their answers only) and
# reliability (psych::alpha on their rows, pairwise).

suppressPackageStartupMessages(library(multilevel))
suppressPackageStartupMessages(library(psych))

script_dir <- local({
  file_arg <- grep("^--file=", commandArgs(trailingOnly = FALSE), value = TRUE)
  if (length(file_arg) == 1L) dirname(normalizePath(sub("^--file=", "", file_arg))) else
    normalizePath(file.path("tests", "reference"))
})
fmt_num <- function(x) {
  x <- as.numeric(x)
  ifelse(is.na(x), "NA", trimws(formatC(x, digits = 17, format = "g")))
}

K <- 5L
lo <- 1L
hi <- 5L
d <- read.csv(file.path(script_dir, "data", "likert5.csv"), stringsAsFactors = FALSE, na.strings = "")
constructs <- list(c1 = list(items = c("i1", "i2", "i3", "i4"), reverse = "i3"),
                   c2 = list(items = c("j1", "j2", "j3"), reverse = character(0)))

out <- character(0)
kv <- function(key, value) out <<- c(out, paste(key, value))
num <- function(key, value) kv(key, fmt_num(value))
out <- c(out, "# ethos reference fixture: assessment of data/likert5.csv (tests/reference/make_fixtures_assessment.R)",
         sprintf("# R %s, multilevel %s, psych %s; minimum group size %d", paste(R.version$major, R.version$minor, sep = "."),
                 as.character(packageVersion("multilevel")), as.character(packageVersion("psych")), K))

# Disclosure: primary then secondary suppression.
sizes <- table(d$group)
ids <- sort(names(sizes))
n_g <- as.integer(sizes[ids])
names(n_g) <- ids
shown <- n_g >= K
repeat {
  hidden <- sum(n_g[!shown])
  if (hidden == 0 || hidden >= K || !any(shown)) break
  cand <- ids[shown]
  pick <- cand[order(n_g[cand], cand)][1]
  shown[pick] <- FALSE
}
kv("min_group_size", K)
kv("groups", length(ids))
kv("groups.shown", sum(shown))
for (g in ids) {
  kv(sprintf("group.n[%s]", g), n_g[[g]])
  kv(sprintf("group.shown[%s]", g), as.integer(shown[[g]]))
}
in_shown <- d$group %in% ids[shown]

for (cname in names(constructs)) {
  cc <- constructs[[cname]]
  x <- as.matrix(d[, cc$items])
  for (it in cc$reverse) x[, it] <- lo + hi - x[, it]
  k <- ncol(x)
  answered <- rowSums(!is.na(x))
  ps <- ifelse(answered >= ceiling(k / 2), rowMeans(x, na.rm = TRUE), NA_real_)
  num(sprintf("%s.n", cname), sum(!is.na(ps)))
  num(sprintf("%s.mean", cname), mean(ps, na.rm = TRUE))
  num(sprintf("%s.sd", cname), sd(ps, na.rm = TRUE))
  xs <- x[!is.na(ps), , drop = FALSE]
  num(sprintf("%s.favorable", cname), sum(xs >= 4, na.rm = TRUE) / sum(!is.na(xs)))
  num(sprintf("%s.unfavorable", cname), sum(xs <= 2, na.rm = TRUE) / sum(!is.na(xs)))
  a <- suppressWarnings(psych::alpha(as.data.frame(xs), use = "pairwise", check.keys = FALSE, warnings = FALSE))
  num(sprintf("%s.alpha", cname), a$total$raw_alpha)
  num(sprintf("%s.std_alpha", cname), a$total$std.alpha)
  num(sprintf("%s.average_r", cname), a$total$average_r)
  num(sprintf("%s.ase", cname), a$total$ase)
  num(sprintf("%s.feldt_lower", cname), a$feldt$lower.ci)
  num(sprintf("%s.feldt_upper", cname), a$feldt$upper.ci)
  for (it in colnames(xs)) {
    num(sprintf("%s.alpha_if_dropped[%s]", cname, it), a$alpha.drop[it, "raw_alpha"])
    num(sprintf("%s.r_drop[%s]", cname, it), a$item.stats[it, "r.drop"])
  }

  # The construct's own rule on scored respondents, among the groups shown by headcount.
  s_g <- sapply(ids, function(g) sum(!is.na(ps[d$group == g])))
  cshown <- shown & !(s_g > 0 & s_g < K)
  repeat {
    outside <- sum(!is.na(ps)) - sum(s_g[cshown])
    if (outside == 0 || outside >= K) break
    cand <- ids[cshown & s_g > 0]
    if (length(cand) == 0) break
    pick <- cand[order(s_g[cand], cand)][1]
    cshown[pick] <- FALSE
  }
  kv(sprintf("%s.groups.shown", cname), sum(cshown))
  for (g in ids[shown]) kv(sprintf("%s.group.shown[%s]", cname, g), as.integer(cshown[[g]]))
  in_cshown <- d$group %in% ids[cshown]

  # ICC on rows of groups showing the construct, with a person score.
  keep <- in_cshown & !is.na(ps)
  m <- aov(ps[keep] ~ as.factor(d$group[keep]))
  num(sprintf("%s.icc1", cname), multilevel::ICC1(m))
  num(sprintf("%s.icc2", cname), multilevel::ICC2(m))

  # rwg(j) per shown group (listwise rows, uniform null), summarised over groups with a value.
  grp <- factor(d$group, levels = ids)
  rj <- multilevel::rwg.j(as.data.frame(x), grp, (5^2 - 1) / 12)
  stopifnot(identical(as.character(rj$grpid), ids))
  v <- rj$rwg.j[cshown]
  v <- v[!is.na(v)]
  num(sprintf("%s.rwg_j_mean", cname), mean(v))
  num(sprintf("%s.rwg_j_median", cname), median(v))
  kv(sprintf("%s.groups_with_rwg_j", cname), length(v))
  for (g in ids[cshown]) {
    rows <- d$group == g
    num(sprintf("%s.group.mean[%s]", cname, g), mean(ps[rows], na.rm = TRUE))
    xg <- x[rows & !is.na(ps), , drop = FALSE]
    num(sprintf("%s.group.favorable[%s]", cname, g), sum(xg >= 4, na.rm = TRUE) / sum(!is.na(xg)))
    num(sprintf("%s.group.rwg_j[%s]", cname, g), rj$rwg.j[match(g, ids)])
  }
}

# eNPS of 'outcome' (docs/statistics.md): 100 (p - d), se 100 sqrt((p + d - (p - d)^2) / n).
o <- d$outcome[!is.na(d$outcome)]
p <- mean(o >= 9)
q <- mean(o <= 6)
kv("enps.n", length(o))
kv("enps.promoters", sum(o >= 9))
kv("enps.detractors", sum(o <= 6))
num("enps.score", 100 * (p - q))
num("enps.se", 100 * sqrt((p + q - (p - q)^2) / length(o)))

path <- file.path(script_dir, "fixtures", "assessment_likert5.txt")
con <- file(path, open = "wb")
writeLines(out, con, sep = "\n", useBytes = TRUE)
close(con)
cat(sprintf("wrote %s (%d lines); %d of %d groups shown\n", path, length(out), sum(shown), length(ids)))
