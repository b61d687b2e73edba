import type { ApolloServerPlugin } from '@apollo/server';
import { graphqlDurationSeconds } from '../infra/metrics';

/** Records each operation's latency by type and outcome. */
export function metricsPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const end = graphqlDurationSeconds.startTimer();
      let operation = 'unknown';
      return {
        async didResolveOperation(rc) { operation = rc.operation?.operation ?? 'unknown'; },
        async willSendResponse(rc) {
          const body = rc.response.body;
          const failed = body.kind === 'single' && Boolean(body.singleResult.errors?.length);
          end({ operation, outcome: failed ? 'error' : 'ok' });
        },
      };
    },
  };
}
