// Segment every image of a folder (as imagesTs: CASE_0000.nii.gz ... per channel) into an output
// folder with a trained model folder (or an installed model: model=NAME); the report
// (predictions.json) names any case that failed.
// Argument: "input=[/path/imagesTs] output=[/path/predictions] model=[/path/work/Task/models/2d] tta=true"
// (tta optional).
// Headless: ImageJ-linux64 --headless --console -macro predict_folder.ijm "input=[/path/imagesTs] output=[/path/pred] model=[/path/work/Task100_ISBI2012EM/models/2d]"
arg = getArgument();
input = call("ij.Macro.getValue", arg, "input", "");
output = call("ij.Macro.getValue", arg, "output", "");
model = call("ij.Macro.getValue", arg, "model", "");
tta = call("ij.Macro.getValue", arg, "tta", "true");
if (input == "") input = getDirectory("Choose the folder of images to segment");
if (output == "") output = getDirectory("Choose the output folder");
if (model == "") model = getDirectory("Choose a trained model folder (WORK/<data set>/models/<configuration>)");
run("nnU-Net Predict", "input=[" + input + "] output=[" + output + "] model=[" + model + "] tta=" + tta + " threads=2");
if (call("java.lang.System.getProperty", "nnunet.success") != "true")
	exit("Prediction failed: " + call("java.lang.System.getProperty", "nnunet.message"));
print(call("java.lang.System.getProperty", "nnunet.message"));
