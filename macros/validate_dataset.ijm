// Validate a data set folder with nnU-Net for Fiji and print its summary or problems.
// Argument: the data set folder, or "dataset=[/path/Task] work=[/path/work]".
// Headless: ImageJ-linux64 --headless --console -macro validate_dataset.ijm "dataset=[/path/to/Task100_ISBI2012EM]"
arg = getArgument();
dataset = call("ij.Macro.getValue", arg, "dataset", arg);
work = call("ij.Macro.getValue", arg, "work", "");
if (dataset == "") dataset = getDirectory("Choose a data set folder (with dataset.json)");
options = "dataset=[" + dataset + "] threads=2";
if (work != "") options = options + " work=[" + work + "]";
run("nnU-Net Validate", options);
// Fiji's exit code is 0 whatever happens: the command's result is in two Java properties.
if (call("java.lang.System.getProperty", "nnunet.success") != "true")
	exit("Validation failed: " + call("java.lang.System.getProperty", "nnunet.message"));
print("Valid: " + dataset);
