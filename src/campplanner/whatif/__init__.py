"""What-if work on rosters: scenarios, comparisons, diffs, replacements, stress runs
and the engines that run many of them."""
