// Segment the open image (or an image file) with an installed model and save the label image.
// Argument: "model=isbi_2d image=[/path/image.tif] output=[/path/labels.tif] spacing=[1 1] tta=false rois=true"
// (model: an installed model's name or a model folder; image: else the active image; output: else
// the labels stay open; spacing only for an image without calibration).
// Headless: ImageJ-linux64 --headless --console -macro segment_image.ijm "model=isbi_2d image=[/path/image.tif] output=[/path/labels.tif]"
arg = getArgument();
model = call("ij.Macro.getValue", arg, "model", "");
image = call("ij.Macro.getValue", arg, "image", "");
output = call("ij.Macro.getValue", arg, "output", "");
spacing = call("ij.Macro.getValue", arg, "spacing", "");
tta = call("ij.Macro.getValue", arg, "tta", "true");
rois = call("ij.Macro.getValue", arg, "rois", "false");
if (output != "") setBatchMode(true);
if (image != "") open(image);
if (nImages == 0) exit("Open an image first, or give image=[/path/image.tif]");
input = getImageID();
run("nnU-Net Segment Image", "model=[" + model + "] spacing=[" + spacing + "] tta=" + tta + " rois=" + rois);
if (call("java.lang.System.getProperty", "nnunet.success") != "true")
	exit("Segmentation failed: " + call("java.lang.System.getProperty", "nnunet.message"));
// The label image is now the active image (in batch mode too); never save the input in its place.
if (output != "") {
	if (getImageID() == input) exit("Segmentation left no label image to save under " + output);
	saveAs("Tiff", output);
}
print(call("java.lang.System.getProperty", "nnunet.message"));
