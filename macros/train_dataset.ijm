// Train one fold of a data set within a time budget: validate, plan, preprocess, then train,
// stopping at the first step that fails. The learning-rate schedule is fitted to the budget.
// Argument: "dataset=[/path/Task] work=[/path/work] configuration=2d fold=0 time_limit=15m"
// (all but dataset optional; also overrides=[2d.batch=4 ...], epochs=N, iterations=N to cap the schedule).
// Headless: ImageJ-linux64 --headless --console -macro train_dataset.ijm "dataset=[/path/Task100_ISBI2012EM] time_limit=15m"
arg = getArgument();
dataset = call("ij.Macro.getValue", arg, "dataset", "");
work = call("ij.Macro.getValue", arg, "work", "");
configuration = call("ij.Macro.getValue", arg, "configuration", "2d");
fold = call("ij.Macro.getValue", arg, "fold", "0");
budget = call("ij.Macro.getValue", arg, "time_limit", "15m");
overrides = call("ij.Macro.getValue", arg, "overrides", "");
epochs = call("ij.Macro.getValue", arg, "epochs", "0");
iterations = call("ij.Macro.getValue", arg, "iterations", "0");
if (dataset == "") dataset = getDirectory("Choose a data set folder (with dataset.json)");
common = "dataset=[" + dataset + "] threads=2";
if (work != "") common = common + " work=[" + work + "]";

function check(step) {
	if (call("java.lang.System.getProperty", "nnunet.success") != "true")
		exit(step + " failed: " + call("java.lang.System.getProperty", "nnunet.message"));
	print(step + ": " + call("java.lang.System.getProperty", "nnunet.message"));
}

run("nnU-Net Validate", common);
check("Validate");
run("nnU-Net Plan", common + " planner=paper overrides=[" + overrides + "]");
check("Plan");
run("nnU-Net Preprocess", common + " configurations=[" + configuration + "]");
check("Preprocess");
run("nnU-Net Train", common + " configuration=" + configuration + " fold=" + fold + " time_limit=[" + budget
	+ "] epochs=" + epochs + " iterations_per_epoch=" + iterations);
check("Train");
