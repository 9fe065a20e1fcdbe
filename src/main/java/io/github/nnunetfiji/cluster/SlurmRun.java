package io.github.nnunetfiji.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.github.nnunetfiji.util.Json;

/**
 * A run on a cluster as submitted, {@code WORK/<data set>/slurm/run.json}: the options and every
 * job with its script, log and the job ids of its submissions (a resubmission adds one), so that
 * status, resubmission and cancel work from any shell of the login node.
 *
 * @param dataset   the data set folder (absolute)
 * @param work      the data set's work folder (absolute)
 * @param submitted when it was first submitted (ISO-8601)
 * @param options   what each job asks for
 * @param jobs      the jobs in the order they were submitted: the trainings, then the selection
 */
public record SlurmRun(String dataset, String work, String submitted, SlurmOptions options, List<Job> jobs) {

    /** The run's folder below the data set's work folder: run.json, the scripts, logs/. */
    public static final String FOLDER = "slurm";
    public static final String FILE = "run.json";
    /** A job that trains one configuration, one array task per fold. */
    public static final String TRAIN = "train";
    /** The job that chooses the model once every training has succeeded. */
    public static final String SELECT = "select";

    public SlurmRun {
        jobs = List.copyOf(jobs);
    }

    /**
     * One submission of a job's script.
     *
     * @param jobId SLURM's job id
     * @param tasks the array tasks (folds) it runs; empty for a single job
     */
    public record Submission(String jobId, List<String> tasks) {
        public Submission {
            tasks = List.copyOf(tasks);
        }
    }

    /**
     * @param name          the job's name, as in squeue
     * @param kind          {@link #TRAIN} or {@link #SELECT}
     * @param configuration the configuration a training job trains, null for the selection
     * @param folds         the folds (a training job's array tasks)
     * @param after         the configuration whose every fold must succeed first (a cascade's first
     *                      stage), or null; the selection waits for every training
     * @param script        the batch script
     * @param log           the log file pattern ({@code %A}, {@code %a}, {@code %j} as sbatch's)
     * @param submissions   every submission, first to last
     */
    public record Job(String name, String kind, String configuration, List<String> folds, String after,
            String script, String log, List<Submission> submissions) {

        public Job {
            folds = List.copyOf(folds);
            submissions = List.copyOf(submissions);
        }

        /** The id SLURM knows the fold's latest task by ({@code JOB_FOLD}), or the job's id for a single job. */
        public String taskId(String fold) {
            for (int i = submissions.size() - 1; i >= 0; i--) {
                Submission s = submissions.get(i);
                if (s.tasks().contains(fold)) {
                    return s.jobId() + "_" + fold;
                }
            }
            return latest().jobId();
        }

        public Submission latest() {
            return submissions.get(submissions.size() - 1);
        }

        /** The log of one task, the patterns filled in. */
        public Path logOf(String taskId) {
            String[] p = taskId.split("_");
            return Path.of(log.replace("%A", p[0]).replace("%a", p.length > 1 ? p[1] : "").replace("%j", p[0]));
        }

        public Job with(Submission s) {
            List<Submission> all = new ArrayList<>(submissions);
            all.add(s);
            return new Job(name, kind, configuration, folds, after, script, log, all);
        }
    }

    /** The training job of a configuration, or null. */
    public Job training(String configuration) {
        return jobs.stream().filter(j -> TRAIN.equals(j.kind()) && configuration.equals(j.configuration()))
                .findFirst().orElse(null);
    }

    /** The selection job, or null where the run only trains. */
    public Job selection() {
        return jobs.stream().filter(j -> SELECT.equals(j.kind())).findFirst().orElse(null);
    }

    /** The same run with one job replaced (by name) or added. */
    public SlurmRun with(Job job) {
        List<Job> all = new ArrayList<>(jobs);
        int i = all.stream().map(Job::name).toList().indexOf(job.name());
        if (i >= 0) {
            all.set(i, job);
        } else {
            all.add(job);
        }
        return new SlurmRun(dataset, work, submitted, options, all);
    }

    /** Every job id of the run, resubmissions included. */
    public List<String> jobIds() {
        return jobs.stream().flatMap(j -> j.submissions().stream()).map(Submission::jobId).toList();
    }

    public static Path folder(Path datasetWork) {
        return datasetWork.resolve(FOLDER);
    }

    public static Path file(Path datasetWork) {
        return folder(datasetWork).resolve(FILE);
    }

    /** The run recorded in a data set's work folder. */
    public static SlurmRun read(Path datasetWork) throws IOException {
        Path f = file(datasetWork);
        if (!Files.isRegularFile(f)) {
            throw new NoSuchFileException(f.toString(), null, "no run was submitted to a cluster for this data set"
                    + " and work folder");
        }
        return Json.read(f, SlurmRun.class);
    }

    public void write() throws IOException {
        Json.write(file(Path.of(work)), this);
    }
}
