// Validate, plan and preprocess one data set, stopping at the first step that fails.
// Argument: "dataset=[/path/Task] work=[/path/work] configurations=[2d 3d_fullres] planner=paper"
// (work, configurations and planner are optional).
// Headless: ImageJ-linux64 --headless --console -macro plan_and_preprocess.ijm "dataset=[/path/Task04_Hippocampus] work=[/path/work]"
arg = getArgument();
dataset = call("ij.Macro.getValue", arg, "dataset", "");
work = call("ij.Macro.getValue", arg, "work", "");
configurations = call("ij.Macro.getValue", arg, "configurations", "");
planner = call("ij.Macro.getValue", arg, "planner", "paper");
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
run("nnU-Net Plan", common + " planner=" + planner);
check("Plan");
run("nnU-Net Preprocess", common + " configurations=[" + configurations + "]");
check("Preprocess");
