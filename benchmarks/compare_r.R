# The R half of benchmarks/compare_r.sh: the same statistics as `compare_r analyse`, timed without file reading.
suppressPackageStartupMessages({ library(psych); library(multilevel) })
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c("character", rep("integer", 48)))
grp <- d$group
out <- character(0)
elapsed <- system.time({
  for (c in 1:12) {
    x <- d[, paste0("c", c, "_", 1:4)]
    a <- psych::alpha(x, use = "pairwise", check.keys = FALSE, warnings = FALSE)$total$raw_alpha
    r <- multilevel::rwg.j(x, grp, ranvar = 2)$rwg.j
    answered <- rowSums(!is.na(x))
    ps <- ifelse(answered >= 2, rowMeans(x, na.rm = TRUE), NA)
    m <- aov(ps ~ as.factor(grp))
    out <- c(out, sprintf("c%d alpha %.17g", c, a), sprintf("c%d rwg_j_mean %.17g", c, mean(r, na.rm = TRUE)),
             sprintf("c%d icc1 %.17g", c, multilevel::ICC1(m)), sprintf("c%d icc2 %.17g", c, multilevel::ICC2(m)))
  }
})[["elapsed"]]
cat(out, sep = "\n")
cat(sprintf("seconds %.6f\n", elapsed))
