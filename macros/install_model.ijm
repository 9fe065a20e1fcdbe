// Install a trained model (a .zip, or a model folder) into Fiji's model folder and list the models.
// Argument: "model=[/path/model.zip] name=my_model" (name optional; replace=true to replace).
// Headless: ImageJ-linux64 --headless --console -macro install_model.ijm "model=[/path/Task04_Hippocampus_3d_fullres.zip]"
arg = getArgument();
model = call("ij.Macro.getValue", arg, "model", "");
name = call("ij.Macro.getValue", arg, "name", "");
replaceExisting = call("ij.Macro.getValue", arg, "replace", "false");
if (model == "") model = File.openDialog("Choose a model .zip (or the plans.json of a model folder)");
run("nnU-Net Install Model", "model=[" + model + "] name=[" + name + "] replace=" + replaceExisting);
if (call("java.lang.System.getProperty", "nnunet.success") != "true")
	exit("Install failed: " + call("java.lang.System.getProperty", "nnunet.message"));
print(call("java.lang.System.getProperty", "nnunet.message"));
run("nnU-Net About", "startengine=false");
