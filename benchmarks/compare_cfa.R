# The lavaan half of benchmarks/compare_r.sh cfa: the CFA of the 12 constructs and configural, metric and scalar
# invariance across the file's groups, on the rows that answered every item (lavaan's listwise default), printing
# `<model> <measure> <value>` lines as ethos's `compare_r cfa` does and the seconds spent fitting (file reading and
# the listwise deletion excluded).
suppressPackageStartupMessages(library(lavaan))
args <- commandArgs(trailingOnly = TRUE)
d <- read.csv(args[1], stringsAsFactors = FALSE)
items <- setdiff(names(d), "group")
d <- d[complete.cases(d[, items]), ]
model <- paste(sapply(1:12, function(c) sprintf("f%d =~ %s", c, paste(sprintf("c%d_%d", c, 1:4), collapse = " + "))),
               collapse = "\n")
measures <- c("chisq", "cfi", "rmsea", "srmr")
put <- function(name, fit) {
  fm <- fitMeasures(fit, measures)
  for (m in measures) cat(name, m, formatC(unname(fm[m]), digits = 17, format = "g"), "\n")
}
start <- proc.time()[["elapsed"]]
fit <- cfa(model, data = d[, items])
t_cfa <- proc.time()[["elapsed"]]
configural <- cfa(model, data = d, group = "group")
metric <- cfa(model, data = d, group = "group", group.equal = "loadings")
scalar <- cfa(model, data = d, group = "group", group.equal = c("loadings", "intercepts"))
end <- proc.time()[["elapsed"]]
put("cfa", fit)
put("configural", configural)
put("metric", metric)
put("scalar", scalar)
cat("seconds", end - start, "\n")
message(sprintf("lavaan phases: cfa %.6f invariance %.6f (%d complete rows)", t_cfa - start, end - t_cfa, nrow(d)))
