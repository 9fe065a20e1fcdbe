// Batch: validate and plan every data set (a folder holding dataset.json) inside one folder,
// carrying on past data sets that fail and listing them at the end.
// Argument: "folder=[/path/datasets] work=[/path/work]" (work optional).
// Headless: ImageJ-linux64 --headless --console -macro plan_all_datasets.ijm "folder=[/path/datasets] work=[/path/work]"
arg = getArgument();
folder = call("ij.Macro.getValue", arg, "folder", "");
work = call("ij.Macro.getValue", arg, "work", "");
if (folder == "") folder = getDirectory("Choose a folder of data sets");
if (!endsWith(folder, File.separator)) folder = folder + File.separator;
names = getFileList(folder);
planned = 0;
failed = "";
for (i = 0; i < names.length; i++) {
	dataset = folder + names[i];
	if (!File.exists(dataset + "dataset.json")) continue;
	options = "dataset=[" + dataset + "] threads=2";
	if (work != "") options = options + " work=[" + work + "]";
	run("nnU-Net Validate", options);
	if (call("java.lang.System.getProperty", "nnunet.success") == "true")
		run("nnU-Net Plan", options + " planner=paper");
	if (call("java.lang.System.getProperty", "nnunet.success") == "true") {
		planned++;
	} else {
		failed = failed + "  " + names[i] + ": " + call("java.lang.System.getProperty", "nnunet.message") + "\n";
	}
}
print("Planned " + planned + " data set(s).");
if (failed != "") print("Failed:\n" + failed);
