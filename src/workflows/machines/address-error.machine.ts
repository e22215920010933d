import { interceptionMachine } from '../fragments/interception';

/**
 * `address_error`: the buyer's address is wrong. Unshipped: `refund_pending`, where
 * `ADDRESS_CORRECTED` (merchant or supplier) closes as `address_corrected`; shipped domestically:
 * `interception_requested`; shipped internationally: closed as `ineligible`.
 * See {@link interceptionMachine}.
 */
export const AddressErrorMachine = interceptionMachine('address_error');
