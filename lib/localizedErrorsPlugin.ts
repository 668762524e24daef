/**
 * API errors in the language the request asks for (`Accept-Language`; English when none):
 * the messages of lib/messages.ts's catalogue and field denials are said in Chinese for `zh*`,
 * codes and every other extension unchanged. Also removes `extensions.i18n` from every answer.
 *
 * Why willSendResponse, listed after the policy check: denials restored into the answer there
 * are localized too, and the audit record (later) sees the answer as sent.
 */
import type { ApolloServerPlugin, BaseContext } from '@apollo/server';
import { localeOf, localizeError } from './messages.ts';

export function localizedErrorsPlugin<T extends BaseContext>(): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ request, response }) {
          const locale = localeOf(request.http?.headers.get('accept-language'));
          if (response.body.kind === 'single') {
            const { errors } = response.body.singleResult;
            if (errors) response.body.singleResult.errors = errors.map((e) => localizeError(e, locale));
          }
        },
      };
    },
  };
}
