import { field, type ApiDeps, type Handlers } from '../context.js';
import { notFound } from '../problems.js';
import { definitionView, versionView } from '../views.js';

const seg = encodeURIComponent;

/** `POST/GET /workflows`, `GET /workflows/{id}`, its versions, and `POST /workflows/{id}/execute`. */
export function workflowHandlers(deps: ApiDeps): Handlers {
  return {
    async registerWorkflow(request, reply, tenant) {
      const result = await deps.client.registerDefinition(tenant, request.body as string);
      const created = result.outcome === 'created';
      reply.code(created ? 201 : 200);
      if (created) reply.header('location', `/api/v1/${seg(tenant)}/workflows/${seg(result.workflowId)}/versions/${seg(result.version)}`);
      return { workflow_id: result.workflowId, version: result.version, sha256: result.sha256, outcome: result.outcome };
    },

    async listWorkflows(request, _reply, tenant) {
      const cursor = field<string | undefined>(request.query, 'cursor');
      const limit = field<number | undefined>(request.query, 'limit');
      const page = await deps.definitions.listWorkflows({ tenantId: tenant, ...(cursor ? { cursor } : {}), ...(limit ? { limit } : {}) });
      return {
        items: page.workflows.map((w) => ({ workflow_id: w.workflowId, latest_version: w.latestVersion, versions: w.versions })),
        ...(page.nextCursor ? { next_cursor: page.nextCursor } : {}),
      };
    },

    async getWorkflow(request, _reply, tenant) {
      const workflowId = field(request.params, 'workflowId');
      const stored = await deps.definitions.get({ tenantId: tenant, workflowId });
      if (!stored) throw notFound(`workflow ${workflowId}`);
      return definitionView(stored);
    },

    async listWorkflowVersions(request, _reply, tenant) {
      const workflowId = field(request.params, 'workflowId');
      const versions = await deps.definitions.listVersions({ tenantId: tenant, workflowId });
      if (!versions.length) throw notFound(`workflow ${workflowId}`);
      return { workflow_id: workflowId, items: versions.map(versionView) };
    },

    async getWorkflowVersion(request, _reply, tenant) {
      const workflowId = field(request.params, 'workflowId');
      const version = field(request.params, 'version');
      const stored = await deps.definitions.get({ tenantId: tenant, workflowId, version });
      if (!stored) throw notFound(`workflow ${workflowId} version ${version}`);
      return definitionView(stored);
    },

    async executeWorkflow(request, reply, tenant) {
      const workflowId = field(request.params, 'workflowId');
      const body = request.body as { input: unknown; correlation_id?: string; version?: string };
      const started = await deps.client.startExecution({
        tenantId: tenant,
        workflowId,
        input: body.input,
        ...(body.version ? { version: body.version } : {}),
        ...(body.correlation_id ? { correlationId: body.correlation_id } : {}),
      });
      reply.code(202).header('location', `/api/v1/${seg(tenant)}/executions/${seg(started.executionId)}`);
      return { id: started.executionId, workflow_id: started.workflowId, version: started.version, status: started.status.toUpperCase() };
    },
  };
}
