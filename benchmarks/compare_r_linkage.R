# The R half of `benchmarks/compare_r.sh linkage`: every 3-predictor lm() of y on x1..x8, timed without file reading.
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], colClasses = c("character", rep("numeric", 9)))
out <- character(0)
m <- 0
elapsed <- system.time({
  for (sub in combn(8, 3, simplify = FALSE)) {
    m <- m + 1
    f <- as.formula(paste("y ~", paste0("x", sub, collapse = " + ")))
    s <- summary(lm(f, data = d))
    cf <- s$coefficients
    for (term in rownames(cf)) {
      out <- c(out, sprintf("m%d_%s estimate %.17g", m, term, cf[term, 1]), sprintf("m%d_%s se %.17g", m, term, cf[term, 2]))
    }
    out <- c(out, sprintf("m%d r_squared %.17g", m, s$r.squared))
  }
})[["elapsed"]]
cat(out, sep = "\n")
cat(sprintf("seconds %.6f\n", elapsed))
