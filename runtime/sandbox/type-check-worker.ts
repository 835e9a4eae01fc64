/** The thread of type-check-thread.ts: one product folder at a time, its type problems answered. */
import { typeProblemsOf } from './check-product-types.ts'
import { answerRequests } from './thread-requests.ts'

answerRequests((request: { readonly dir: string }) => typeProblemsOf(request.dir), 'The type check failed')
