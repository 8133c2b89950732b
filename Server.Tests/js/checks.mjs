// The report of the Node test scripts here, read by Server.Tests: one JSON line per check ({check, ok, detail}), then a
// summary line ({summary: true, client, checks, failed}); the process exits 1 when a check failed or when the run
// outlived its deadline (reported as the check "script.deadline").

export function checkRun({ client, deadlineMs, onFinish = () => {} }) {
    const results = [];
    function report(check, ok, detail) {
        const line = { check, ok: !!ok, detail: detail ?? null };
        results.push(line);
        process.stdout.write(JSON.stringify(line) + "\n");
    }
    function finish() {
        const failed = results.filter(r => !r.ok).map(r => r.check);
        process.stdout.write(JSON.stringify({ summary: true, client, checks: results.length, failed }) + "\n");
        onFinish();
        process.exit(failed.length === 0 ? 0 : 1);
    }
    setTimeout(() => { report("script.deadline", false, `the run took longer than ${deadlineMs} ms`); finish(); }, deadlineMs).unref();
    return { report, finish };
}
