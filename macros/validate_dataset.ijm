// Validate a data set folder with nnU-Net for Fiji and print its summary or problems.
// Headless: ImageJ-linux64 --headless --console -macro validate_dataset.ijm "/path/to/Task100_ISBI2012EM"
dataset = getArgument();
if (dataset == "") dataset = getDirectory("Choose a data set folder (with dataset.json)");
run("nnU-Net Validate", "dataset=[" + dataset + "] threads=2");
