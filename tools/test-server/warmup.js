#!/usr/bin/env node
// CDS training traffic for the Java time-skipping test server.
//
// scripts/install-test-server.sh starts the server once with -XX:ArchiveClassesAtExit, runs this
// script against it, then stops the server with SIGTERM so the JVM writes the class-data archive.
// Every class the server loads while serving these calls ends up in the archive, so the more of a
// real test's path we walk here, the less class loading later test runs pay for.
//
// It speaks raw gRPC (no Worker, no workflow bundle) to stay fast: start a workflow, answer its
// first workflow task with a 1 h timer, skip time until the timer fires, complete the workflow,
// read the history. Failures are reported but never fatal: the archive is still useful with
// whatever was loaded up to that point.
//
// usage: node tools/test-server/warmup.js <port>
'use strict';

const path = require('node:path');
const { randomUUID } = require('node:crypto');

const root = path.resolve(__dirname, '..', '..');
const requireFromRoot = (id) => require(require.resolve(id, { paths: [root] }));

async function main() {
  const port = Number(process.argv[2]);
  if (!Number.isInteger(port) || port <= 0) throw new Error('usage: warmup.js <port>');

  const { Connection, InternalConnectionOptionsSymbol } = requireFromRoot('@temporalio/client/lib/connection');
  const { temporal } = requireFromRoot('@temporalio/proto');
  const CommandType = temporal.api.enums.v1.CommandType;

  const connection = await Connection.connect({
    address: `127.0.0.1:${port}`,
    // Same internal switch TestWorkflowEnvironment uses to expose the TestService.
    ...(InternalConnectionOptionsSymbol ? { [InternalConnectionOptionsSymbol]: { supportsTestService: true } } : {}),
  });
  const wf = connection.workflowService;
  const ts = connection.testService;
  const namespace = 'default';
  const identity = 'cds-warmup';
  const taskQueue = { name: `warmup-${randomUUID()}` };
  const workflowId = `warmup-${randomUUID()}`;

  try {
    await wf.getSystemInfo({});
    await wf.describeNamespace({ namespace });
    if (ts) await ts.getCurrentTime({});

    const { runId } = await wf.startWorkflowExecution({
      namespace,
      workflowId,
      workflowType: { name: 'warmup' },
      taskQueue,
      identity,
      requestId: randomUUID(),
      workflowTaskTimeout: { seconds: 10 },
    });
    const execution = { workflowId, runId };

    const poll = () => wf.pollWorkflowTaskQueue({ namespace, taskQueue, identity });

    let task = await poll();
    await wf.respondWorkflowTaskCompleted({
      namespace,
      identity,
      taskToken: task.taskToken,
      commands: [
        {
          commandType: CommandType.COMMAND_TYPE_START_TIMER,
          startTimerCommandAttributes: { timerId: '1', startToFireTimeout: { seconds: 3600 } },
        },
      ],
    });

    if (ts) {
      // What TestWorkflowEnvironment.sleep() does: let the server jump over the timer.
      await ts.unlockTimeSkippingWithSleep({ duration: { seconds: 3601 } });
      await ts.getCurrentTime({});
      task = await poll();
      await wf.respondWorkflowTaskCompleted({
        namespace,
        identity,
        taskToken: task.taskToken,
        commands: [
          {
            commandType: CommandType.COMMAND_TYPE_COMPLETE_WORKFLOW_EXECUTION,
            completeWorkflowExecutionCommandAttributes: {},
          },
        ],
      });
    } else {
      await wf.terminateWorkflowExecution({ namespace, workflowExecution: execution, reason: 'warmup', identity });
    }

    await wf.describeWorkflowExecution({ namespace, execution });
    await wf.getWorkflowExecutionHistory({ namespace, execution });
    // Long-poll for the close event, as WorkflowClient.result() does.
    await wf.getWorkflowExecutionHistory({
      namespace,
      execution,
      waitNewEvent: true,
      historyEventFilterType: temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT,
    });
  } finally {
    await connection.close();
  }
}

main().then(
  () => console.log('warm-up traffic: ok'),
  (err) => {
    console.error(`warm-up traffic failed (archive still written, just smaller): ${err?.stack ?? err}`);
    process.exitCode = 1;
  },
);
