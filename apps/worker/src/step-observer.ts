import { kindsOf, resolvePointer } from '@flunq/dsl';
import type { RecordedStep, StepListener } from '@flunq/engine';
import type { Logger, ServiceMetrics } from '@flunq/observability';

function taskKind(definition: unknown, pointer: string): string {
  const [kind] = kindsOf(resolvePointer(definition, pointer) as Record<string, unknown>);
  return kind ?? 'unknown';
}

/** Metrics and logs of each recorded step: tasks by outcome, durations, payload sizes, encoding time. */
export function observeSteps(metrics: ServiceMetrics, logger: Logger): StepListener {
  return (step: RecordedStep) => {
    const { event, stored, snapshot } = step;
    const ids = { executionId: snapshot.identity.executionId, workflowId: snapshot.identity.workflowId, tenantId: snapshot.identity.tenantId };
    metrics.serializationSeconds.observe({ operation: 'record_step' }, step.encodeMs / 1000);
    if (event.type === 'task.completed' && stored.data.case === 'taskCompleted') {
      const { value } = stored.data;
      const labels = { task_type: taskKind(snapshot.definition, event.pointer), outcome: 'success' };
      metrics.tasksTotal.inc(labels);
      metrics.taskDuration.observe(labels, Number(value.completedAtMs - value.startedAtMs) / 1000);
      metrics.payloadBytes.observe({ direction: 'input' }, Number(value.inputData?.originalSize ?? 0n));
      metrics.payloadBytes.observe({ direction: 'output' }, Number(value.outputData?.originalSize ?? 0n));
      logger.debug({ ...ids, taskId: event.pointer }, 'task completed');
    } else if (event.type === 'task.failed') {
      metrics.tasksTotal.inc({ task_type: taskKind(snapshot.definition, event.pointer), outcome: 'failure' });
      logger.info({ ...ids, taskId: event.pointer, error: event.error }, 'task failed');
    }
    if (event.type === 'execution.completed' || event.type === 'execution.failed' || event.type === 'execution.cancelled') {
      logger.info({ ...ids, status: snapshot.engine.status, events: Number(snapshot.state.version) }, `execution ${snapshot.engine.status}`);
    }
  };
}
